package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.djl.Device;
import dev.fovea.Version;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.io.AtomicFiles;
import dev.fovea.kernels.Parallel;
import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.model.Architecture;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea bench}: images per second of the own engine and of libtorch (through DJL, same thread count) for a
 * training step, an input-gradient step and inference, on the same architectures at the same batch size, and the
 * own engine's achieved GFLOP/s next to this machine's peak.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the own engine against libtorch: training step, input-gradient step and inference, images/s.",
                "FLOPs count 2 per multiply-add: inference 1x, input gradient 2x, training 3x the forward pass.",
                "--loops adds whole attack loops (PGD-20) on a trained model, images/s per backend."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--arch", split = ",", defaultValue = "lenet5,convnet", description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> archs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "3", description = "Timed seconds per measurement, after warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--loops", description = "Also time attack loops on --model, on both backends: PGD-20 (L-inf, eps 8/255, one restart).")
    boolean loops;

    @Option(names = "--memory-steps", paramLabel = "N", defaultValue = "0",
            description = "Also run N input-gradient steps of --model on each backend and report the heap after GC and the resident memory before and after (default: off).")
    int memorySteps;

    @Option(names = "--model", paramLabel = "FILE", defaultValue = "fixtures/models/convnet.fovea",
            description = "A .fovea model for --loops (default: ${DEFAULT-VALUE}).")
    Path model;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private record Row(String arch, String step, double own, double torch, double gflops) {
    }

    private record Loop(String name, double own, double torch) {
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || !(seconds > 0)) {
            throw new UsageException("--batch-size must be >= 1 and --seconds > 0");
        }
        PrintWriter o = spec.commandLine().getOut();
        if (memorySteps < 0) {
            throw new UsageException("--memory-steps must be >= 0, got " + memorySteps);
        }
        Network loopNet = loops || memorySteps > 0 ? ModelFile.load(model) : null;
        double peak = Machine.peakGflops();
        o.printf(Locale.ROOT, "fovea bench: batch %d, %d threads (own engine and libtorch), %s%n", batch, Parallel.threads(), Machine.describe());
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
            double ownTrain = rate(() -> {
                opt.zeroGrad();
                Tensor z = net.forward(x, true);
                net.backwardParams(SoftmaxCrossEntropy.compute(z, y).gradient());
                opt.step(1e-3f);
            });
            double ownGrad = rate(() -> own.gradient(x, Objective.crossEntropy(y)));
            double ownInfer = rate(() -> own.logits(x));
            double tTrain;
            double tGrad;
            double tInfer;
            try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.cpu(), batch)) {
                tGrad = rate(() -> lt.gradient(x, Objective.crossEntropy(y)));
                tInfer = rate(() -> lt.logits(x));
                tTrain = rate(() -> lt.trainStep(x, y, 1e-3f));
            }
            rows.add(new Row(arch, "train", ownTrain, tTrain, ownTrain * 6.0 * macs / 1e9));
            rows.add(new Row(arch, "input-gradient", ownGrad, tGrad, ownGrad * 4.0 * macs / 1e9));
            rows.add(new Row(arch, "inference", ownInfer, tInfer, ownInfer * 2.0 * macs / 1e9));
        }
        o.printf(Locale.ROOT, "%n%-8s %-15s %12s %12s %10s %10s %9s%n", "arch", "step", "own img/s", "libtorch", "own/lt", "GFLOP/s", "of peak");
        for (Row r : rows) {
            o.printf(Locale.ROOT, "%-8s %-15s %12.0f %12.0f %9.2fx %10.1f %8.1f%%%n", r.arch, r.step, r.own, r.torch, r.own / r.torch, r.gflops,
                    100 * r.gflops / peak);
        }
        o.printf(Locale.ROOT, "peak: %.0f GFLOP/s (%s)%n", peak, Machine.peakFormula());
        o.flush();
        List<Loop> loopRows = loops ? loops(loopNet) : List.of();
        if (!loopRows.isEmpty()) {
            o.printf(Locale.ROOT, "%n%-40s %12s %12s %10s%n", "loop (" + model.getFileName() + ")", "own img/s", "libtorch", "own/lt");
            for (Loop l : loopRows) {
                o.printf(Locale.ROOT, "%-40s %12.1f %12.1f %9.2fx%n", l.name, l.own, l.torch, l.own / l.torch);
            }
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
            root.put("peak_gflops", peak);
            root.put("libtorch", Libtorch.engine().getVersion());
            ArrayNode a = root.putArray("results");
            for (Row r : rows) {
                ObjectNode n = a.addObject();
                n.put("arch", r.arch);
                n.put("step", r.step);
                n.put("own_images_per_s", r.own);
                n.put("libtorch_images_per_s", r.torch);
                n.put("ratio", r.own / r.torch);
                n.put("own_gflops", r.gflops);
            }
            if (loops) {
                root.put("loops_model", model.toString());
                root.put("loops_model_sha256", dev.fovea.io.Digests.sha256(model));
                ArrayNode l = root.putArray("loops");
                for (Loop r : loopRows) {
                    ObjectNode n = l.addObject();
                    n.put("loop", r.name);
                    n.put("own_images_per_s", r.own);
                    n.put("libtorch_images_per_s", r.torch);
                    n.put("ratio", r.own / r.torch);
                }
            }
            byte[] bytes = m.writeValueAsBytes(root);
            AtomicFiles.write(json, out -> out.write(bytes));
        }
        return Cli.OK;
    }

    /** PGD-20 on {@code net}, a batch of random pixels with labels {@code i mod classes}, on both backends. */
    private List<Loop> loops(Network net) throws Exception {
        Tensor x = Tensor.uniform(net.inputShape().withBatch(batch), 0, 1, 2);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % net.classes();
        }
        Attack pgd = Attacks.named("pgd");
        AttackConfig d = pgd.defaults(Norm.LINF, 8 / 255.0);
        AttackConfig cfg = new AttackConfig(Norm.LINF, d.eps(), 20, d.stepSize(), 1, d.randomStart(), Target.UNTARGETED, d.seed());
        EngineClassifier own = new EngineClassifier(net, batch);
        double ownRate = rate(() -> pgd.run(own, x, y, cfg), 1, 1);
        double torchRate;
        try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.cpu(), batch)) {
            torchRate = rate(() -> pgd.run(lt, x, y, cfg), 1, 1);
        }
        return List.of(new Loop("pgd-20 linf eps 8/255", ownRate, torchRate));
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
        o.printf(Locale.ROOT, "%n%-10s %8s %14s %14s %14s %14s%n", "memory", "steps", "heap warm MiB", "heap end MiB", "RSS warm MiB",
                "RSS end MiB");
        EngineClassifier own = new EngineClassifier(net, batch);
        memoryRow("engine", () -> own.gradient(x, ce), o);
        try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.cpu(), batch)) {
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
        o.printf(Locale.ROOT, "%-10s %8d %14.1f %14.1f %14.1f %14.1f%n", backend, memorySteps, before[0], after[0], before[1], after[1]);
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

    /** Images per second of {@code step} on one batch: warm-up for a third of the time, then timed. */
    private double rate(Runnable step) {
        return rate(step, 2, 3);
    }

    /** As {@link #rate(Runnable)}, with at least {@code warmRuns} warm-up and {@code timedRuns} timed runs. */
    private double rate(Runnable step, int warmRuns, int timedRuns) {
        long warm = System.nanoTime() + (long) (seconds / 3 * 1e9);
        int w = 0;
        while (System.nanoTime() < warm || w < warmRuns) {
            step.run();
            w++;
        }
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < end || n < timedRuns) {
            step.run();
            n++;
        }
        return (double) n * batch / ((System.nanoTime() - t0) / 1e9);
    }

    /** What this machine can do at most: cores x FMA units x vector lanes x 2 x clock. */
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

        static double peakGflops() {
            return Parallel.threads() * 2.0 * lanes() * 2 * ghz();
        }

        static String peakFormula() {
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
