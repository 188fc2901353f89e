package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.audit.report.Json;
import dev.fovea.io.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A cell's {@code cell.json}: the cell (its id and full plan), how it ended ({@code ok} or {@code failed}, with the
 * error's one line), its wall time, its metrics, the file its report page is, and the SHA-256 of every file it
 * wrote, by name. {@link #verify} is what {@code --resume} and merging trust: a result whose record reads back,
 * whose plan still hashes to its id, and whose files are all there with their digests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellRecord(Cell cell, String status, String error, double seconds, String started, List<Metric> metrics, String page,
                         Map<String, String> files, String foveaVersion) {
    public static final String FILE = "cell.json";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    /** Status of a cell of the grid without a result: another shard's, or one a stopped run did not reach. */
    public static final String MISSING = "missing";

    static final ObjectMapper READER = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public CellRecord {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** Reads {@code dir/cell.json}, or {@code null} if it is missing or unreadable. */
    public static CellRecord read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return READER.readValue(f.toFile(), CellRecord.class);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Why the result in {@code dir} cannot stand for {@code expected}, or {@code null} when it can: it reads back,
     * succeeded, is of the same id, its plan hashes to that id, and every file it lists is there with its SHA-256.
     */
    public static String verify(Path dir, Cell expected) {
        CellRecord r = read(dir);
        if (r == null) {
            return "no readable " + FILE;
        }
        if (!r.ok()) {
            return "it failed before (" + r.error() + ")";
        }
        if (r.cell() == null || !expected.id().equals(r.cell().id()) || !expected.id().equals(r.cell().computedId())) {
            return "its plan is not the cell's";
        }
        for (Map.Entry<String, String> e : r.files().entrySet()) {
            Path f = dir.resolve(e.getKey());
            try {
                if (!Files.isRegularFile(f) || !Digests.sha256(f).equals(e.getValue())) {
                    return e.getKey() + " is missing or changed";
                }
            } catch (IOException x) {
                return e.getKey() + " cannot be read";
            }
        }
        return null;
    }
}
