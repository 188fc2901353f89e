package dev.fovea.audit.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What executes a list of cells: the {@link LocalEngine} (threads of this process), or another one found by
 * {@link java.util.ServiceLoader} (the {@code batch-spark} module's, on Spark). Every engine runs each cell with a
 * {@link CellRunner}, so a cell's result folder is the same whichever ran it; the {@link BatchRunner} around it
 * chooses the cells (shard, resume) and writes the merged outputs.
 */
public interface BatchEngine {
    /** The engine's name ({@code local}, {@code spark}). */
    String name();

    /**
     * Runs {@code cells}, writing each one's result folder into {@code cellsDir}, and tells {@code listener} as each
     * starts and ends (from any thread). With {@code failFast}, stops starting cells after the first failure.
     * Returns the records of the cells that ran, in any order.
     *
     * @param master where to run: the engine's own notion ({@code local[2]}, {@code spark://host:7077}; ignored
     *               by the local engine; {@code null} or empty: the engine's default or its launcher's)
     */
    List<CellRecord> run(List<Cell> cells, Path cellsDir, int threads, boolean failFast, String master, Listener listener) throws IOException;

    /** What an engine tells as it goes. */
    interface Listener {
        default void started(Cell cell) {
        }

        default void finished(CellRecord record) {
        }
    }
}
