package dev.fovea.batch.spark;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.batch.BatchEngine;
import dev.fovea.audit.batch.Cell;
import dev.fovea.audit.batch.CellRecord;
import dev.fovea.audit.batch.CellRunner;
import dev.fovea.audit.report.Json;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a batch's cells as Apache Spark tasks. The cells become a {@link Dataset} of their plans (each cell's JSON,
 * one partition per cell, so that Spark schedules, retries and spreads them one by one), and each task runs its cell
 * with the same {@link CellRunner} as the local engine, writing the same result folder under the batch folder, which
 * must be a path every executor sees (a local path in local mode, a shared file system on a cluster). An executor's
 * task thread keeps its runner between tasks, so it loads a model once and reuses it for the next cell of that
 * model; each cell's own loops run in the engine's threads (or libtorch's) inside the task. The driver follows the
 * cells' {@code cell.json} files as they appear, for progress and {@code --fail-fast} (which cancels the job), and
 * the {@link dev.fovea.audit.batch.BatchRunner} around it writes the merged outputs, as for a local run.
 *
 * <p>{@code master} is Spark's ({@code local[2]}, {@code spark://host:7077}, {@code yarn}); empty or {@code null}:
 * the one {@code spark-submit} configured, else {@code local[THREADS]}. The Spark UI is off in local mode.
 */
public final class SparkEngine implements BatchEngine {
    /** How often the driver looks for finished cells, in milliseconds. */
    static final long POLL_MS = 200;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public List<CellRecord> run(List<Cell> cells, Path cellsDir, int threads, boolean failFast, String master, Listener listener) throws IOException {
        if (cells.isEmpty()) {
            return List.of();
        }
        Instant start = Instant.now();
        SparkSession.Builder b = SparkSession.builder().appName("fovea batch");
        String m = master == null || master.isEmpty() ? System.getProperty("spark.master", "local[" + threads + "]") : master;
        b.master(m);
        if (m.startsWith("local")) {
            b.config("spark.ui.enabled", "false");
        }
        SparkSession spark = b.getOrCreate();
        try {
            List<String> plans = new ArrayList<>();
            for (Cell c : cells) {
                plans.add(Json.MAPPER.writeValueAsString(c));
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Dataset<String> grid = spark.createDataset(jsc.parallelize(plans, plans.size()).rdd(), Encoders.STRING());
            Dataset<String> done = grid.mapPartitions(new RunCells(cellsDir.toAbsolutePath().toString()), Encoders.STRING());
            CompletableFuture<List<String>> job = CompletableFuture.supplyAsync(done::collectAsList);
            Set<String> pending = new LinkedHashSet<>(cells.stream().map(Cell::id).toList());
            List<CellRecord> records = new ArrayList<>();
            boolean cancelled = false;
            while (!pending.isEmpty()) {
                boolean finished = job.isDone();
                for (String id : List.copyOf(pending)) {
                    CellRecord r = CellRecord.read(cellsDir.resolve(id));
                    if (r != null && r.started() != null && !Instant.parse(r.started()).isBefore(start)) {
                        pending.remove(id);
                        records.add(r);
                        listener.finished(r);
                        if (!r.ok() && failFast && !cancelled) {
                            spark.sparkContext().cancelAllJobs();
                            cancelled = true;
                        }
                    }
                }
                if (finished) {
                    break;
                }
                try {
                    job.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // not yet: look again
                } catch (ExecutionException e) {
                    if (!cancelled) {
                        throw new IOException("spark: the job failed: " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    spark.sparkContext().cancelAllJobs();
                    Thread.currentThread().interrupt();
                    throw new IOException("spark: interrupted", e);
                }
            }
            return records;
        } finally {
            spark.stop();
        }
    }

    /** A task: runs the cells of its partition with its thread's runner and returns their records' status lines. */
    static final class RunCells implements MapPartitionsFunction<String, String> {
        private static final long serialVersionUID = 1L;
        /** One runner per executor thread, kept between tasks so that a model stays open for the next cell of it. */
        private static final ThreadLocal<CellRunner> RUNNERS = new ThreadLocal<>();
        private final String cellsDir;

        RunCells(String cellsDir) {
            this.cellsDir = cellsDir;
        }

        @Override
        public Iterator<String> call(Iterator<String> plans) {
            List<String> out = new ArrayList<>();
            while (plans.hasNext()) {
                try {
                    Cell c = Json.MAPPER.readValue(plans.next(), Cell.class);
                    CellRecord r = runner().run(c, ProgressListener.NONE);
                    out.add(c.id() + " " + r.status());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return out.iterator();
        }

        private CellRunner runner() {
            CellRunner r = RUNNERS.get();
            if (r == null || !r.writesTo(Path.of(cellsDir))) {
                if (r != null) {
                    r.close();
                }
                r = new CellRunner(Path.of(cellsDir));
                RUNNERS.set(r);
            }
            return r;
        }
    }
}
