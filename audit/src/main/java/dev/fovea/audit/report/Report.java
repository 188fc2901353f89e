package dev.fovea.audit.report;

import dev.fovea.io.ResultFolder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordered list of sections with the provenance they share. {@link #write} puts each section's files and its
 * {@code NAME.json} (numbers plus provenance, the section's wall time included) into one result folder, written as
 * a whole.
 */
public record Report(Provenance provenance, List<Section> sections) {
    public Report {
        if (provenance == null) {
            throw new IllegalArgumentException("report: provenance is required");
        }
        sections = List.copyOf(sections);
    }

    public static Report of(Provenance provenance, Section... sections) {
        return new Report(provenance, List.of(sections));
    }

    /** The report with one more section. */
    public Report with(Section s) {
        List<Section> all = new ArrayList<>(sections);
        all.add(s);
        return new Report(provenance, all);
    }

    /** The provenance with every section's wall time. */
    public Provenance timed() {
        Provenance p = provenance;
        for (Section s : sections) {
            p = p.withSeconds(s.name(), s.seconds());
        }
        return p;
    }

    /**
     * Writes every section into {@code dir} as a whole ({@link ResultFolder}): an earlier result there is replaced
     * with all its files, a non-empty folder that holds none is refused; returns the names of the files written.
     */
    public List<String> write(Path dir) throws IOException {
        try (ResultFolder folder = ResultFolder.open(dir, false)) {
            List<String> written = write(folder);
            folder.commit();
            return written;
        }
    }

    /**
     * Writes every section into {@code folder}, opened before the run, which the caller commits; returns the names
     * of the files written.
     */
    public List<String> write(ResultFolder folder) throws IOException {
        Provenance p = timed();
        List<String> written = new ArrayList<>();
        for (Section s : sections) {
            written.addAll(s.writeFiles(folder.staging()));
            String file = s.name() + ".json";
            Json.write(folder.resolve(file), s.json(p));
            written.add(file);
        }
        return written;
    }
}
