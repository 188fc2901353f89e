package dev.fovea.audit.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a grid into a batch folder ({@link BatchFolder}): chooses the cells (one deterministic shard, and with
 * {@code resume} only those without a result that {@linkplain CellRecord#verify verifies}), has an engine run them
 * (each cell into its own result folder, a failing cell recorded with its error, the grid going on unless
 * {@code failFast}), tells a listener the tally and an ETA as cells end, and writes the merged outputs over the
 * grid's cells. A run killed half-way leaves the cells it finished; resumed, it runs the rest and writes the same
 * outputs as a run that was never stopped.
 */
public final class BatchRunner {
    /**
     * How to run: worker threads, whether to resume, shard {@code shard} of {@code shards} (1 of 1: all), whether to
     * stop at the first failure, and the engine's master ({@code null} for the local engine).
     */
    public record Settings(int threads, boolean resume, int shard, int shards, boolean failFast, String master) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
            }
            if (shards < 1 || shard < 1 || shard > shards) {
                throw new IllegalArgumentException("shard: expected I/N with 1 <= I <= N, got " + shard + "/" + shards);
            }
        }

        public static Settings local(int threads) {
            return new Settings(threads, false, 1, 1, false, null);
        }

        public Settings resuming() {
            return new Settings(threads, true, shard, shards, failFast, master);
        }

        public Settings sharded(int i, int n) {
            return new Settings(threads, resume, i, n, failFast, master);
        }

        public Settings failingFast() {
            return new Settings(threads, resume, shard, shards, true, master);
        }

        /** {@code I/N}, or {@code null} for the whole grid. */
        public String shardLabel() {
            return shards == 1 ? null : shard + "/" + shards;
        }
    }

    /** Cells done, failed and still to run of this run (those reused by {@code resume} not counted), and the ETA in seconds (NaN before the first ends). */
    public record Tally(int done, int failed, int remaining, double elapsedSeconds, double etaSeconds) {
    }

    /** What a run tells as it goes. */
    public interface Listener {
        /** The run is planned: {@code selected} cells of the grid's in this shard, {@code reused} of them verified from an earlier run. */
        default void planned(Grid grid, List<Cell> selected, List<Cell> reused, List<Cell> toRun) {
        }

        default void started(Cell cell) {
        }

        default void finished(CellRecord record, Tally tally) {
        }
    }

    /** How a run ended: the cells of this shard, reused, ran, failed, and the records of the whole grid in order. */
    public record Summary(int selected, int reused, int ran, int failed, int notRun, double seconds, List<CellRecord> records) {
    }

    private BatchRunner() {
    }

    /** Runs {@code grid} into {@code out} with {@code engine}. */
    public static Summary run(Grid grid, Path out, Settings s, BatchEngine engine, Listener listener) throws IOException {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        BatchFolder.prepare(out);
        Path cells = out.resolve(BatchFolder.CELLS);
        List<Cell> selected = grid.shard(s.shard(), s.shards());
        List<Cell> reused = new ArrayList<>();
        List<Cell> toRun = new ArrayList<>();
        for (Cell c : selected) {
            if (s.resume() && CellRecord.verify(cells.resolve(c.id()), c) == null) {
                reused.add(c);
            } else {
                toRun.add(c);
            }
        }
        listener.planned(grid, selected, reused, toRun);
        int[] counts = new int[2];
        List<CellRecord> ran = engine.run(toRun, cells, s.threads(), s.failFast(), s.master(), new BatchEngine.Listener() {
            @Override
            public void started(Cell cell) {
                listener.started(cell);
            }

            @Override
            public void finished(CellRecord r) {
                Tally t;
                synchronized (counts) {
                    counts[0]++;
                    if (!r.ok()) {
                        counts[1]++;
                    }
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    int remaining = toRun.size() - counts[0];
                    t = new Tally(counts[0], counts[1], remaining, elapsed, elapsed / counts[0] * remaining);
                }
                listener.finished(r, t);
            }
        });
        List<CellRecord> records = BatchFolder.records(out, grid.cells());
        // cells of other shards are missing here by design; those of this shard without a result were not reached
        List<String> mine = selected.stream().map(Cell::id).toList();
        int failed = (int) ran.stream().filter(r -> !r.ok()).count();
        int notRun = (int) records.stream().filter(r -> mine.contains(r.cell().id()) && CellRecord.MISSING.equals(r.status())).count();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String engineName = engine.name() + (s.master() == null || s.master().isEmpty() ? (engine instanceof LocalEngine ? ", " + s.threads()
                + (s.threads() == 1 ? " thread" : " threads") : "") : " " + s.master());
        BatchFolder.write(out, new BatchFolder.Run(grid.name(), grid.spec(), grid.id(), engineName, s.shardLabel(), s.threads(), started, seconds),
                records);
        return new Summary(selected.size(), reused.size(), ran.size(), failed, notRun, seconds, records);
    }

    /**
     * Joins the batch folders {@code dirs} (shards of one grid) into {@code out}: every cell's verified result
     * folder is copied from the first folder that has one, and the merged outputs are written over the whole grid.
     * Folders of different grids are refused. Returns the records of the grid in order.
     */
    public static List<CellRecord> merge(List<Path> dirs, Path out) throws IOException {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("merge: expected at least one batch folder");
        }
        List<BatchFolder.BatchJson> all = new ArrayList<>();
        for (Path d : dirs) {
            all.add(BatchFolder.read(d));
        }
        BatchFolder.BatchJson first = all.get(0);
        for (int i = 1; i < all.size(); i++) {
            if (!first.gridId().equals(all.get(i).gridId())) {
                throw new IllegalArgumentException("merge: " + dirs.get(i) + " holds another grid (" + all.get(i).name() + ", grid " + all.get(i).gridId()
                        + ") than " + dirs.get(0) + " (" + first.name() + ", grid " + first.gridId() + ")");
            }
        }
        BatchFolder.prepare(out);
        Path cells = out.resolve(BatchFolder.CELLS);
        for (Cell c : first.grid()) {
            if (CellRecord.verify(cells.resolve(c.id()), c) == null) {
                continue;
            }
            for (Path d : dirs) {
                Path from = d.resolve(BatchFolder.CELLS).resolve(c.id());
                if (!from.toAbsolutePath().normalize().equals(cells.resolve(c.id()).toAbsolutePath().normalize())
                        && CellRecord.verify(from, c) == null) {
                    Copies.folder(from, cells.resolve(c.id()));
                    break;
                }
            }
        }
        List<CellRecord> records = BatchFolder.records(out, first.grid());
        BatchFolder.write(out, new BatchFolder.Run(first.name(), first.spec(), first.gridId(), "merge of " + dirs.size() + " folders", null, null, started,
                (System.nanoTime() - t0) / 1e9), records);
        return records;
    }
}
