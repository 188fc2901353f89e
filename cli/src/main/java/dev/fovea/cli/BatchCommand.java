package dev.fovea.cli;

import dev.fovea.audit.batch.BatchEngine;
import dev.fovea.audit.batch.BatchFolder;
import dev.fovea.audit.batch.BatchRunner;
import dev.fovea.audit.batch.Cell;
import dev.fovea.audit.batch.CellRecord;
import dev.fovea.audit.batch.CellType;
import dev.fovea.audit.batch.CellTypes;
import dev.fovea.audit.batch.Grid;
import dev.fovea.audit.batch.LocalEngine;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code fovea batch SPEC --out DIR}: a grid of attack, explain, augment and eval runs over models, data and seeds
 * ({@link Grid}), each cell its own result folder, resumable ({@code --resume}), in shards ({@code --shard I/N},
 * joined by {@code fovea batch merge}), in threads or on Spark ({@code --spark MASTER}, with the batch-spark module
 * on the class path), with tidy results, comparison charts and one page linking every cell's report
 * ({@link BatchRunner}). Exit code 1 when a cell failed (the others ran; the errors are in batch.json).
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false, subcommands = BatchMergeCommand.class,
        description = {"Run a grid of attack, explain, augment and eval runs over models, data and seeds.",
                "From a YAML or JSON spec: one result folder per cell, tidy results.csv and results.json, comparison charts and index.html.",
                "'fovea batch --list' describes the run types and their fields; the README has the spec format."})
public final class BatchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "The grid: a YAML (or .json) spec; its paths are relative to its folder.")
    Path spec;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Batch folder: cells/, results.csv, results.json, charts/, index.html, batch.json.")
    Path out;

    @Option(names = "--resume", description = "Keep the cells of DIR whose results verify (plan and file digests) and run the others.")
    boolean resume;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run shard I of N only: cell k of the grid is shard (k mod N)+1; join with 'fovea batch merge'.")
    String shard;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "Cells run at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--dry-run", description = "Print the cells and an estimate of their cost, and exit.")
    boolean dryRun;

    @Option(names = "--fail-fast", description = "Stop starting cells after the first that fails.")
    boolean failFast;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER",
            description = {"Run the cells as Apache Spark tasks: local[2], spark://HOST:7077, yarn...; without MASTER, spark-submit's.",
                    "Needs the batch-spark module: ./fovea adds it when --spark is given."})
    String spark;

    @Option(names = "--list", description = "Describe the run types and their fields, and exit.")
    boolean list;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = command.commandLine().getOut();
        if (list) {
            list(o);
            return Cli.OK;
        }
        Required.of(command).need("SPEC", spec != null).need("--out", out != null || dryRun).check("--list; --dry-run needs no --out");
        int[] sh = shard(shard);
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + threads);
        }
        if (out != null) {
            checkOut(out, resume);
        }
        BatchEngine engine = spark == null ? new LocalEngine() : engine("spark");
        Grid grid = Grid.read(spec);
        PrintWriter err = command.commandLine().getErr();
        grid.notes().forEach(n -> err.println(command.qualifiedName() + ": note: " + n));
        err.flush();
        if (dryRun) {
            dryRun(o, grid, sh);
            return Cli.OK;
        }
        BatchRunner.Settings s = new BatchRunner.Settings(threads, resume, sh[0], sh[1], failFast, spark);
        boolean quiet = verbosity.quiet;
        BatchRunner.Summary r = BatchRunner.run(grid, out, s, engine, new BatchRunner.Listener() {
            @Override
            public void planned(Grid g, List<Cell> selected, List<Cell> reused, List<Cell> toRun) {
                o.printf(Locale.ROOT, "%s: %d cells%s%s; running %d (%s)%n", g.name(), g.cells().size(),
                        s.shardLabel() == null ? "" : ", " + selected.size() + " in shard " + s.shardLabel(),
                        reused.isEmpty() ? "" : ", " + reused.size() + " verified from the earlier run", toRun.size(), engine.name()
                                + (spark == null ? ", " + threads + (threads == 1 ? " thread" : " threads") : spark.isEmpty() ? "" : " " + spark));
                o.flush();
            }

            @Override
            public void finished(CellRecord rec, BatchRunner.Tally t) {
                if (quiet) {
                    return;
                }
                synchronized (o) {
                    o.printf(Locale.ROOT, "[%d/%d] %-6s %s (%.1f s)%s · %d done, %d failed, %d remaining%s%n", t.done(), t.done() + t.remaining(),
                            rec.status(), rec.cell().describe(), rec.seconds(), rec.ok() ? "" : ": " + rec.error(), t.done(), t.failed(), t.remaining(),
                            t.remaining() == 0 ? "" : ", ETA " + clock(t.etaSeconds()));
                    o.flush();
                }
            }
        });
        o.printf(Locale.ROOT, "wrote %s (index.html, results.csv, results.json, batch.json, charts/, cells/) in %.1f s: %d ran, %d verified from before,"
                + " %d failed%s%n", out, r.seconds(), r.ran(), r.reused(), r.failed(), r.notRun() > 0 ? ", " + r.notRun() + " not run (--fail-fast)" : "");
        o.flush();
        if (r.failed() > 0) {
            err.println(command.qualifiedName() + ": " + r.failed() + (r.failed() == 1 ? " cell" : " cells") + " failed (errors in " + out.resolve("batch.json")
                    + "); --resume runs them again");
            err.flush();
            return Cli.INTERNAL;
        }
        return Cli.OK;
    }

    /** Refuses an output folder that holds other files, or a batch's without {@code --resume}. */
    static void checkOut(Path out, boolean resume) throws IOException {
        SingleFile.folder("--out", out);
        BatchFolder.State st = BatchFolder.state(out);
        if (st == BatchFolder.State.OTHER) {
            throw new UsageException("--out " + out + ": holds files that are not a batch's; choose an empty or a new folder");
        }
        if (st == BatchFolder.State.BATCH && !resume) {
            throw new UsageException("--out " + out + ": holds a batch already; pass --resume to keep its verified cells, or choose another folder");
        }
    }

    private static int[] shard(String text) {
        if (text == null) {
            return new int[] {1, 1};
        }
        String[] p = text.strip().split("/");
        try {
            int i = Integer.parseInt(p[0].strip());
            int n = Integer.parseInt(p[1].strip());
            if (p.length == 2 && n >= 1 && i >= 1 && i <= n) {
                return new int[] {i, n};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // the message below
        }
        throw new UsageException("--shard: expected I/N with 1 <= I <= N, such as 1/4, got '" + text + "'");
    }

    /** The engine named {@code name} among those on the class path ({@link ServiceLoader}). */
    static BatchEngine engine(String name) {
        for (BatchEngine e : ServiceLoader.load(BatchEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new UsageException("--spark: the Spark engine (module batch-spark) is not on the class path; run through ./fovea, which adds it"
                + " for --spark, or spark-submit (README: fovea batch on Spark)");
    }

    private static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static void list(PrintWriter o) {
        o.println("Run types (a run entry's 'type'); a list given for a one-value field, a list of lists for a list field or a list of maps for");
        o.println("a map field is an axis of the grid. Every run also takes 'limit' (the first N images).");
        for (CellType t : CellTypes.all()) {
            o.println(TYPES.line(t.name(), t.describe()));
            for (CellType.Field f : t.fields()) {
                String kind = switch (f.kind()) {
                    case SCALAR -> "";
                    case LIST -> " [list]";
                    case MAP -> " {map}";
                };
                o.println(FIELDS.line(f.name() + kind, f.description()));
            }
        }
        o.flush();
    }

    /** {@code --list}'s lines: a run type, then its fields. */
    private static final Table TYPES = Table.of(Table.left("", 8), Table.left("")).gap(1);
    private static final Table FIELDS = Table.of(Table.left("", 14), Table.left("")).gap(1).indent(2);

    /** The dry run's table, a cell's row printed as soon as its cost is known (its model may take a while to load). */
    private static final Table DRY_RUN = Table.of(Table.right("cell", 4), Table.left("id", 20), Table.right("images", 6), Table.right("passes", 9),
            Table.right("about s", 8), Table.left("run"));

    /** The cells with their cost in image passes, and the time that comes to at each model's measured speed. */
    private void dryRun(PrintWriter o, Grid grid, int[] sh) throws IOException {
        List<Cell> cells = grid.shard(sh[0], sh[1]);
        Map<String, Double> perPass = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        long total = 0;
        double seconds = 0;
        o.printf(Locale.ROOT, "%s: %d cells%s%n", grid.name(), grid.cells().size(), sh[1] == 1 ? "" : ", " + cells.size() + " in shard " + sh[0] + "/" + sh[1]);
        o.println(DRY_RUN.header());
        for (Cell c : cells) {
            String key = c.model().file() + "|" + c.data().resolved() + "|" + c.limit();
            if (!sizes.containsKey(key)) {
                try (Classifier m = c.model().open(64)) {
                    Dataset d = c.data().load(m, c.limit());
                    sizes.put(key, d.size());
                    perPass.putIfAbsent(c.model().file(), speed(m));
                }
            }
            int n = sizes.get(key);
            long passes = CellTypes.named(c.type()).plan(c.plan()).passes(n);
            total += passes;
            double s = passes * perPass.get(c.model().file());
            seconds += s;
            o.println(DRY_RUN.line(c.index(), c.id(), n, String.format(Locale.ROOT, "%,d", passes), String.format(Locale.ROOT, "%.1f", s), c.describe()));
            o.flush();
        }
        o.printf(Locale.ROOT, "total: %,d image passes, about %s on this machine with %d %s (from each model's measured speed; attacks"
                + " that stop early take less)%n", total, clock(seconds / Math.max(1, Math.min(threads, cells.size()))), threads,
                threads == 1 ? "thread" : "threads");
        o.flush();
    }

    /** Seconds per image for a forward and backward pass of {@code m}, measured on a batch of zeros. */
    private static double speed(Classifier m) {
        Tensor x = Tensor.zeros(m.inputShape().withBatch(16));
        m.logits(x);
        long t0 = System.nanoTime();
        int runs = 0;
        do {
            m.logits(x);
            runs++;
        } while (System.nanoTime() - t0 < 200_000_000L && runs < 50);
        // a pass is a forward or a backward one, which costs about twice as much: 1.5 forward passes on average
        return 1.5 * (System.nanoTime() - t0) / 1e9 / (runs * 16.0);
    }
}
