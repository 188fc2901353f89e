package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.kernels.Parallel;
import dev.fovea.kernels.Peak;
import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.model.Architecture;
import dev.fovea.model.Device;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.model.djl.Libtorch;
import dev.fovea.model.djl.LibtorchNetwork;
import dev.fovea.optim.Optimizer;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea bench}: images per second of the own engine and of libtorch (through DJL, same thread count) for a
 * training step, an input-gradient step and inference, on the same architectures at the same batch size, and the
 * own engine's achieved GFLOP/s next to this machine's measured peak.
 *
 * <p>Timings drift between runs (clock, other load), so no figure is one timed run: for each architecture and step
 * both backends are warmed up, then timed alternately in {@code --rounds} rounds, and each figure is the median of
 * its rounds (the JSON holds every round).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = BenchAugmentCommand.class,
        description = {"Measure the own engine against libtorch: training step, input-gradient step and inference, images/s.",
                "Each step is warmed up on both backends, then timed in --rounds rounds that alternate between them; "
                        + "each figure is the median of its rounds.",
                "FLOPs count 2 per multiply-add: inference 1x, input gradient 2x, training 3x the forward pass; "
                        + "'of peak' is relative to a measured FMA loop on all threads.",
                "--loops adds whole loops on a trained model, images/s per backend: PGD-20 and Integrated Gradients (64 steps).",
                "'fovea bench augment' times fovea augment's run instead."})
public final class BenchCommand implements Callable<Integer> {
    /** The model of {@code --loops} and {@code --memory-steps} when {@code --model} is not given. */
    static final Path DEFAULT_MODEL = Path.of("fixtures", "models", "convnet.fovea");

    @Option(names = "--arch", split = ",", defaultValue = "lenet5,convnet", paramLabel = "ARCH", converter = Choices.Architectures.class,
            completionCandidates = Choices.Architectures.class, description = "Architectures, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<String> archs;

    /** The largest timed batch: every step of the bench holds its activations for the whole batch. */
    static final int MAX_BATCH = 4096;

    // The timed batch: how many images each timed step takes, a measured quantity (not BatchOptions' chunking of
    // inference, whose size never changes a result).
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Images per timed step, at most 4096 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "3",
            description = {"Timed seconds per step and backend, split evenly over the rounds (default: ${DEFAULT-VALUE}).",
                    "With the defaults a step takes 2 x (2 s warm-up + 3 s), about 30 s per architecture."})
    double seconds;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Timed rounds per step, alternating own engine and libtorch; figures are their medians (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Warm-up per step and backend before the rounds (default: the larger of 2 and --seconds / 3, and at least "
                    + "40 steps of training, input gradient and inference).")
    Double warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON ('-': to standard output, in place of the tables).")
    Path json;

    @Option(names = "--loops", description = "Also time whole loops on --model (a .fovea model; default: fixtures/models/convnet.fovea), on both "
            + "backends: PGD-20 (L-inf, eps 8/255, one restart) on the batch labelled with the model's own predictions, Integrated Gradients "
            + "(64 steps, black baseline) on 16 of its images.")
    boolean loops;

    @Option(names = "--memory-steps", paramLabel = "N", defaultValue = "0",
            description = "Also run N input-gradient steps of --model on each backend and report the heap after GC and the resident memory before and after (default: off).")
    int memorySteps;

    @Mixin
    ModelOptions.Optional modelOptions;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The memory table, a backend's row printed as soon as it is measured. */
    private static final Table MEMORY = Table.of(Table.left("memory", 10), Table.right("steps", 8), Table.right("heap warm MiB", 14),
            Table.right("heap end MiB", 14), Table.right("RSS warm MiB", 14), Table.right("RSS end MiB", 14)).gap(1);

    /** {@code v} with {@code decimals} decimals. */
    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Seconds of the FMA loop that measures the peak, after its own warm-up of half as long. */
    private static final double PEAK_SECONDS = 0.5;

    /** Images per second of each backend, one entry per round. */
    private record Rates(double[] own, double[] torch) {
        double ownMedian() {
            return median(own);
        }

        double torchMedian() {
            return median(torch);
        }
    }

    private record Row(String arch, String step, Rates rates, double gflops) {
    }

    private record Loop(String name, Rates rates) {
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || !(seconds > 0) || Double.isInfinite(seconds)) {
            throw new UsageException("--batch-size must be >= 1 and --seconds > 0");
        }
        if (batch > MAX_BATCH) {
            throw new UsageException("--batch-size must be at most " + MAX_BATCH + ", got " + batch);
        }
        if (rounds < 1) {
            throw new UsageException("--rounds must be >= 1, got " + rounds);
        }
        if (warmup != null && (!(warmup >= 0) || warmup.isInfinite())) {
            throw new UsageException("--warmup must be >= 0 seconds, got " + warmup);
        }
        if (memorySteps < 0) {
            throw new UsageException("--memory-steps must be >= 0, got " + memorySteps);
        }
        SingleFile.check("--json", json);
        PrintWriter o = SingleFile.tables(json, spec.commandLine().getOut());
        modelOptions.flags().requireNoRunner("bench times both backends on the CPU");
        Path model = modelOptions.given() ? modelOptions.file() : DEFAULT_MODEL;
        Network loopNet = loops || memorySteps > 0 ? modelOptions.network(model, "bench times .fovea models on both backends") : null;
        o.printf(Locale.ROOT, "fovea bench: batch %d, %d threads (own engine and libtorch), %s%n", batch, Parallel.threads(), Machine.describe());
        o.printf(Locale.ROOT, "medians of %d rounds of %.2f s per backend, alternating, after %.1f s warm-up each%s%n", rounds,
                seconds / rounds, warmupSeconds(), warmup == null ? " (and " + WARM_STEPS + " steps at least)" : "");
        o.flush();
        double peak = Peak.measureGflops(PEAK_SECONDS);
        double nominal = Machine.nominalGflops();
        List<Row> rows = new ArrayList<>();
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Shape in = Shape.of(1, 28, 28);
        Tensor x = Tensor.uniform(in.withBatch(batch), 0, 1, 1);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % 10;
        }
        for (String arch : archs) {
            Network net = Network.create(Architecture.named(arch), in, classes, new float[] {0.286f}, new float[] {0.353f}, 1);
            long macs = net.root().macs(in.withBatch(1));
            EngineClassifier own = new EngineClassifier(net, batch);
            Optimizer opt = Optimizer.Kind.ADAM.create(net.params(), 0.9f, false, 0f);
            try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.CPU, batch)) {
                Rates train = compare(() -> {
                    opt.zeroGrad();
                    Tensor z = net.forward(x, true);
                    net.backwardParams(SoftmaxCrossEntropy.compute(z, y).gradient());
                    opt.step(1e-3f);
                }, () -> lt.trainStep(x, y, 1e-3f), 3);
                Rates grad = compare(() -> own.gradient(x, Objective.crossEntropy(y)), () -> lt.gradient(x, Objective.crossEntropy(y)), 3);
                Rates infer = compare(() -> own.logits(x), () -> lt.logits(x), 3);
                rows.add(new Row(arch, "train", train, train.ownMedian() * 6.0 * macs / 1e9));
                rows.add(new Row(arch, "input-gradient", grad, grad.ownMedian() * 4.0 * macs / 1e9));
                rows.add(new Row(arch, "inference", infer, infer.ownMedian() * 2.0 * macs / 1e9));
            }
        }
        o.println();
        Table steps = Table.of(Table.left("arch", 8), Table.left("step", 15), Table.right("own img/s", 12), Table.right("libtorch", 12),
                Table.right("own/lt", 10), Table.right("GFLOP/s", 10), Table.right("of peak", 9)).gap(1);
        for (Row r : rows) {
            double own = r.rates.ownMedian();
            double torch = r.rates.torchMedian();
            steps.row(r.arch, r.step, fixed(own, 0), fixed(torch, 0), fixed(own / torch, 2) + "x", fixed(r.gflops, 1), fixed(100 * r.gflops / peak, 1) + "%");
        }
        steps.print(o);
        o.printf(Locale.ROOT, "peak: %.0f GFLOP/s measured (%s, %d threads); nominal %.0f (%s)%n", peak, peakMethod(), Parallel.threads(),
                nominal, Machine.nominalFormula());
        o.flush();
        List<Loop> loopRows = loops ? loops(loopNet) : List.of();
        if (!loopRows.isEmpty()) {
            o.println();
            Table table = Table.of(Table.left("loop (" + model.getFileName() + ")", 40), Table.right("own img/s", 12), Table.right("libtorch", 12),
                    Table.right("own/lt", 10)).gap(1);
            for (Loop l : loopRows) {
                double own = l.rates.ownMedian();
                double torch = l.rates.torchMedian();
                table.row(l.name, fixed(own, 1), fixed(torch, 1), fixed(own / torch, 2) + "x");
            }
            table.print(o);
            o.flush();
        }
        if (memorySteps > 0) {
            memory(loopNet, o);
        }
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("fovea_version", Version.VERSION);
            root.put("batch_size", batch);
            root.put("threads", Parallel.threads());
            root.put("machine", Machine.describe());
            root.put("peak_gflops_measured", peak);
            root.put("peak_method", peakMethod());
            root.put("peak_gflops_nominal", nominal);
            root.put("peak_nominal_formula", Machine.nominalFormula());
            root.put("libtorch", Libtorch.engine().getVersion());
            root.put("rounds", rounds);
            root.put("seconds_per_round", seconds / rounds);
            root.put("warmup_seconds", warmupSeconds());
            ArrayNode a = root.putArray("results");
            for (Row r : rows) {
                ObjectNode n = a.addObject();
                n.put("arch", r.arch);
                n.put("step", r.step);
                putRates(n, r.rates);
                n.put("own_gflops", r.gflops);
                n.put("own_of_peak", r.gflops / peak);
            }
            if (loops) {
                root.put("loops_model", model.toString());
                root.put("loops_model_sha256", dev.fovea.io.Digests.sha256(model));
                ArrayNode l = root.putArray("loops");
                for (Loop r : loopRows) {
                    ObjectNode n = l.addObject();
                    n.put("loop", r.name);
                    putRates(n, r.rates);
                }
            }
            byte[] bytes = m.writeValueAsBytes(root);
            SingleFile.write(json, bytes, spec.commandLine().getOut());
        }
        return Cli.OK;
    }

    /** The medians, their ratio and every round's images/s of both backends. */
    private static void putRates(ObjectNode n, Rates r) {
        n.put("own_images_per_s", r.ownMedian());
        n.put("libtorch_images_per_s", r.torchMedian());
        n.put("ratio", r.ownMedian() / r.torchMedian());
        ArrayNode own = n.putArray("own_images_per_s_rounds");
        for (double v : r.own) {
            own.add(v);
        }
        ArrayNode torch = n.putArray("libtorch_images_per_s_rounds");
        for (double v : r.torch) {
            torch.add(v);
        }
    }

    private static String peakMethod() {
        return Peak.lanes() > 1 ? "FMA loop" : "scalar FMA loop";
    }

    /**
     * PGD-20 on {@code net}, a batch of random pixels labelled with the model's own predictions, and Integrated
     * Gradients with 64 steps on 16 of them, on both backends. With its own predictions as labels every image starts
     * classified correctly, so PGD attacks each until it is fooled (it stops per image then, as on real data); labels
     * the model does not predict would let most images stop before the first step.
     */
    private List<Loop> loops(Network net) throws Exception {
        Tensor x = Tensor.uniform(net.inputShape().withBatch(batch), 0, 1, 2);
        EngineClassifier own = new EngineClassifier(net, batch);
        int[] y = own.predict(x);
        Attack pgd = Attacks.named("pgd");
        AttackConfig d = pgd.defaults(Norm.LINF, 8 / 255.0);
        AttackConfig cfg = new AttackConfig(Norm.LINF, d.eps(), 20, d.stepSize(), 1, d.randomStart(), Target.UNTARGETED, d.seed());
        try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.CPU, batch)) {
            Rates pgdRates = compare(() -> pgd.run(own, x, y, cfg), () -> pgd.run(lt, x, y, cfg), 1, batch, 1);
            int few = Math.min(16, batch);
            Tensor xs = x.slice(0, few);
            int[] ys = java.util.Arrays.copyOf(y, few);
            Attribution ig = Explainers.named("integrated-gradients");
            ExplainConfig igCfg = ExplainConfig.of(ig.options(Map.of("steps", "64")));
            Rates igRates = compare(() -> ig.attribute(own, xs, ys, igCfg), () -> ig.attribute(lt, xs, ys, igCfg), 1, few, 1);
            return List.of(new Loop("pgd-20 linf eps 8/255", pgdRates), new Loop("integrated-gradients 64 steps", igRates));
        }
    }

    /**
     * Steady-state memory of the input-gradient step on each backend: the heap in use after a full GC and the
     * process's resident set, after a tenth of the steps (warm) and after all of them.
     */
    private void memory(Network net, PrintWriter o) throws Exception {
        Tensor x = Tensor.uniform(net.inputShape().withBatch(batch), 0, 1, 3);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % net.classes();
        }
        Objective ce = Objective.crossEntropy(y);
        o.println();
        o.println(MEMORY.header());
        EngineClassifier own = new EngineClassifier(net, batch);
        memoryRow("engine", () -> own.gradient(x, ce), o);
        try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.CPU, batch)) {
            memoryRow("libtorch", () -> lt.gradient(x, ce), o);
        }
        o.flush();
    }

    private void memoryRow(String backend, Runnable step, PrintWriter o) {
        int warm = Math.max(1, memorySteps / 10);
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        double[] before = {heapAfterGc(), residentMiB()};
        for (int i = warm; i < memorySteps; i++) {
            step.run();
        }
        double[] after = {heapAfterGc(), residentMiB()};
        o.println(MEMORY.line(backend, memorySteps, fixed(before[0], 1), fixed(after[0], 1), fixed(before[1], 1), fixed(after[1], 1)));
        o.flush();
    }

    private static double heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }

    /** VmRSS from /proc/self/status, or NaN where there is none. */
    private static double residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * Steps each backend runs at least in the default warm-up of a training, input-gradient or inference step: the
     * JIT compiles the own engine's kernels over the first few dozen steps, and the figures are of the steady state.
     */
    private static final int WARM_STEPS = 40;

    /** {@code --warmup}, else the larger of 2 s and a third of {@code --seconds}. */
    private double warmupSeconds() {
        return warmup != null ? warmup : Math.max(2, seconds / 3);
    }

    /**
     * Images per second of {@code own} and {@code torch} on one batch. Each is warmed up for {@link #warmupSeconds()},
     * then both are timed in {@code rounds} rounds of {@code seconds / rounds} each, in turn: own engine first in even
     * rounds, libtorch first in odd ones, so that drift in the machine's speed reaches both alike. Every warm-up and
     * timed part runs the step at least {@code minRuns} times.
     */
    private Rates compare(Runnable own, Runnable torch, int minRuns) {
        return compare(own, torch, minRuns, batch, warmup == null ? WARM_STEPS : minRuns);
    }

    /**
     * As {@link #compare(Runnable, Runnable, int)} for steps of {@code images} images each, the warm-up running each
     * step at least {@code warmRuns} times.
     */
    private Rates compare(Runnable own, Runnable torch, int minRuns, int images, int warmRuns) {
        long warmNanos = (long) (warmupSeconds() * 1e9);
        rate(own, warmNanos, warmRuns, images);
        rate(torch, warmNanos, warmRuns, images);
        long nanos = (long) (seconds / rounds * 1e9);
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                a[r] = rate(own, nanos, minRuns, images);
                b[r] = rate(torch, nanos, minRuns, images);
            } else {
                b[r] = rate(torch, nanos, minRuns, images);
                a[r] = rate(own, nanos, minRuns, images);
            }
        }
        return new Rates(a, b);
    }

    /** Images per second of {@code step} on {@code images} images, run for at least {@code nanos} and {@code minRuns} times. */
    private double rate(Runnable step, long nanos, int minRuns, int images) {
        long t0 = System.nanoTime();
        long end = t0 + nanos;
        int n = 0;
        while (System.nanoTime() < end || n < minRuns) {
            step.run();
            n++;
        }
        return (double) n * images / ((System.nanoTime() - t0) / 1e9);
    }

    /** The median: the middle value, or the mean of the two middle ones. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }

    /**
     * The CPU, and its nominal peak from {@code /proc/cpuinfo}: cores x FMA units x vector lanes x 2 x clock. The
     * nominal figure assumes two full-width FMA units at the maximum clock, which not every CPU has (AMD Zen 4
     * splits 512-bit FMAs in two), so the bench reports it beside the measured {@link Peak} only.
     */
    static final class Machine {
        private Machine() {
        }

        static int lanes() {
            String flags = cpuinfo("flags");
            return flags.contains(" avx512f") ? 16 : flags.contains(" avx2") || flags.contains(" avx ") ? 8 : 4;
        }

        static double ghz() {
            try {
                Path max = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
                if (Files.isReadable(max)) {
                    return Long.parseLong(Files.readString(max).trim()) / 1e6;
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // fall back to /proc/cpuinfo
            }
            try {
                return Double.parseDouble(cpuinfo("cpu MHz").trim()) / 1000;
            } catch (NumberFormatException e) {
                return 2.0;
            }
        }

        static double nominalGflops() {
            return Parallel.threads() * 2.0 * lanes() * 2 * ghz();
        }

        static String nominalFormula() {
            return String.format(Locale.ROOT, "%d cores x 2 FMA units x %d float lanes x 2 x %.2f GHz", Parallel.threads(), lanes(), ghz());
        }

        static String describe() {
            String model = cpuinfo("model name").trim();
            return (model.isEmpty() ? "unknown CPU" : model) + ", Java " + System.getProperty("java.version");
        }

        private static String cpuinfo(String key) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith(key)) {
                        return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                    }
                }
            } catch (java.io.IOException e) {
                return "";
            }
            return "";
        }
    }
}
