package dev.fovea.audit.batch;

import dev.fovea.Version;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.Json;
import dev.fovea.audit.report.Provenance;
import dev.fovea.data.Dataset;
import dev.fovea.io.Digests;
import dev.fovea.io.ResultFolder;
import dev.fovea.model.Classifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs cells, one at a time, keeping the last model and data set open for the next cell (the grid orders cells
 * model first, so a worker loads each model about once). The same code runs a cell in the local runner's threads
 * and in a Spark task: {@link #run} writes the cell's result folder {@code CELLS/ID} as a whole
 * ({@link ResultFolder}: a temporary sibling, then one rename), its report and {@code cell.json}. A cell that fails
 * is recorded too, with its error in one line, so that the grid goes on; {@code --resume} runs it again. Not
 * thread-safe: one runner per worker thread.
 */
public final class CellRunner implements AutoCloseable {
    private final Path cells;
    private ModelEntry openModel;
    private Classifier model;
    private DataEntry openData;
    private Integer openLimit;
    private Dataset data;

    /** A runner writing into the folder {@code cells}. */
    public CellRunner(Path cells) {
        this.cells = cells;
    }

    /** Whether this runner writes into {@code dir}. */
    public boolean writesTo(Path dir) {
        return cells.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
    }

    /** Runs {@code cell} into {@code CELLS/ID}, returning its record; never throws for a failure of the cell itself. */
    public CellRecord run(Cell cell, ProgressListener progress) {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        Path dir = cells.resolve(cell.id());
        try (ResultFolder folder = ResultFolder.open(dir, false)) {
            CellRecord record;
            try {
                Classifier m = model(cell.model());
                Dataset d = data(cell, m);
                CellType.Plan plan = CellTypes.named(cell.type()).plan(cell.plan());
                Integer limit = cell.data().limit() == null ? cell.limit() : cell.limit() == null ? cell.data().limit()
                        : Integer.valueOf(Math.min(cell.data().limit(), cell.limit()));
                Provenance p = Provenance.of("batch " + cell.type(), Values.seed(cell.plan())).withModel(Path.of(cell.model().file()), m)
                        .withData(d).withSelection(limit, cell.data().perClass());
                CellType.Outcome out = plan.run(m, d, p, progress);
                out.report().write(folder);
                record = new CellRecord(cell, CellRecord.OK, null, seconds(t0), started, out.metrics(), out.page(), digests(folder.staging()),
                        Version.VERSION);
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                clear(folder.staging());
                record = new CellRecord(cell, CellRecord.FAILED, oneLine(e), seconds(t0), started, List.of(), null, Map.of(), Version.VERSION);
            }
            Json.write(folder.resolve(CellRecord.FILE), record);
            folder.commit();
            return record;
        } catch (IOException e) {
            return new CellRecord(cell, CellRecord.FAILED, oneLine(e), seconds(t0), started, List.of(), null, Map.of(), Version.VERSION);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A failure in one line: the message (its first line), or the exception's class when it has none. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String first = m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
        return e instanceof IOException || e instanceof IllegalArgumentException ? first : e.getClass().getSimpleName() + ": " + first;
    }

    private Classifier model(ModelEntry e) throws IOException {
        if (!e.equals(openModel)) {
            closeModel();
            model = e.open(64);
            openModel = e;
        }
        return model;
    }

    private Dataset data(Cell cell, Classifier m) throws IOException {
        if (data == null || !cell.data().equals(openData) || !java.util.Objects.equals(cell.limit(), openLimit)) {
            data = null;
            data = cell.data().load(m, cell.limit());
            openData = cell.data();
            openLimit = cell.limit();
        }
        return data;
    }

    private void closeModel() {
        if (model != null) {
            model.close();
        }
        model = null;
        openModel = null;
        data = null;
        openData = null;
    }

    /** The SHA-256 of every file under {@code dir} but the marker, by path relative to it. */
    private static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                if (!name.equals(ResultFolder.MARKER)) {
                    out.put(name, Digests.sha256(f));
                }
            }
        }
        return out;
    }

    /** Removes what a failed cell wrote, but the marker. */
    private static void clear(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!f.equals(dir) && !f.getFileName().toString().equals(ResultFolder.MARKER)) {
                    Files.delete(f);
                }
            }
        }
    }

    @Override
    public void close() {
        closeModel();
    }
}
