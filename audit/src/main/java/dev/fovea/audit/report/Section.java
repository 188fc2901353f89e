package dev.fovea.audit.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One part of a report, made from a run's result: its numbers as a record ({@link #json}, serialised by
 * {@link Json}), and its tables, arrays and pictures ({@link #writeFiles}). A new kind of section is one class.
 */
public interface Section {
    /** Short name, also the stem of its JSON file ({@code attack} writes {@code attack.json}). */
    String name();

    /** The section's numbers, with the report's provenance embedded. */
    Object json(Provenance provenance);

    /** Writes the section's tables, arrays and pictures into {@code dir}; returns their file names. */
    List<String> writeFiles(Path dir) throws IOException;

    /** Wall time of the run behind the section, in seconds. */
    double seconds();
}
