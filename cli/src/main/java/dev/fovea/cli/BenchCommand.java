package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Suite;
import dev.fovea.kernels.Parallel;
import dev.fovea.kernels.Peak;
import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Device;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.model.djl.Libtorch;
import dev.fovea.model.djl.LibtorchNetwork;
import dev.fovea.nn.LayerProfile;
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
                        + "'of peak' is relative to a measured FMA loop on all threads, 'of bw' to a measured memory triad.",
                "A second table splits the own engine's steps by layer kind: share of the time, GFLOP/s and GB/s, and how far each is from its limit.",
                "--loops adds whole loops on a trained model, images/s per backend: the attacks, attributions and corruption report an audit runs.",
                "'fovea bench augment' times fovea augment's run instead."})
public final class BenchCommand implements Callable<Integer> {
    /** The model of {@code --loops} and {@code --memory-steps} when {@code --model} is not given. */
    static final Path DEFAULT_MODEL = Path.of("fixtures", "models", "convnet.fovea");

    @Option(names = "--arch", split = ",", defaultValue = "lenet5,convnet", paramLabel = "ARCH", converter = Choices.Architectures.class,
            completionCandidates = Choices.Architectures.class,
            description = {"Architectures, of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                    "Each takes the input it was made for: 1x28x28 and 10 classes, resnet20 3x32x32 (CIFAR-10), resnet18 3x224x224 and 1000 classes."})
    List<String> archs;

    @Option(names = "--steps", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time the training, input-gradient and inference steps and their layer kinds (default: on; --no-steps: only --loops and --memory-steps).")
    boolean steps;

    /** The largest timed batch: every step of the bench holds its activations for the whole batch. */
    static final int MAX_BATCH = 4096;

    // The timed batch: how many images each timed step takes, a measured quantity (not BatchOptions' chunking of
    // inference, whose size never changes a result).
    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per timed step, at most 4096 (default: 64; resnet20 128, resnet18 16), and per pass of --loops (default 64).")
    Integer batch;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "3",
            description = {"Timed seconds per step and backend, split evenly over the rounds (default: ${DEFAULT-VALUE}).",
                    "With the defaults a step takes 2 x (2 s warm-up + 3 s), about 30 s per architecture."})
    double seconds;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
            description = "Timed rounds per step, alternating own engine and libtorch; figures are their medians (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Warm-up per step and backend before the rounds (default: the larger of 2 and --seconds / 3, and at least "
                    + "40 steps of training, input gradient and inference, or 10 s of them).")
    Double warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON ('-': to standard output, in place of the tables).")
    Path json;

    @Option(names = "--loops", split = ",", paramLabel = "LOOP", converter = LoopNames.class,
            completionCandidates = LoopNames.class,
            description = {"Also time whole loops on --model (a .fovea model; default: fixtures/models/convnet.fovea) on both backends, "
                    + "once each per --loop-rounds after a warm-up on 4 images: some of ${COMPLETION-CANDIDATES} (every one).",
                    "pgd-20: L-inf 8/255, one restart; apgd-ce: 100 steps, L-inf 8/255; square: 1000 queries, L-inf 8/255; deepfool: 50 steps, L2; "
                            + "cw: L2, 9 x 100 steps; ig-64: Integrated Gradients, 64 steps; occlusion: 4x4 windows at stride 2; "
                            + "corruptions: the 15 benchmark corruptions at severities 1-5, each image classified (images/s counts corrupted images)."})
    List<String> loopNames;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Images of --loops, with their labels (default: random pixels labelled with the model's own predictions).")
    String data;

    @Option(names = "--loop-images", paramLabel = "N[,LOOP=N...]", defaultValue = "256",
            description = "Images per loop: one count for all, then exceptions, e.g. 256,cw=32 (default: ${DEFAULT-VALUE}).")
    String loopImages;

    @Option(names = "--loop-rounds", paramLabel = "R", defaultValue = "1",
            description = "Timed runs of each loop per backend, alternating; figures are their medians (default: ${DEFAULT-VALUE}).")
    int loopRounds;

    @Option(names = "--torchscript", paramLabel = "FILE",
            description = "The libtorch side of --loops: this TorchScript model (with its sidecar FILE.json) in place of --model's layers run on libtorch.")
    Path torchscript;

    @Option(names = "--memory-steps", paramLabel = "N", defaultValue = "0",
            description = "Also run N input-gradient steps of --model on each backend and report the heap after GC and the resident memory before and after (default: off).")
    int memorySteps;

    @Mixin
    ModelOptions.Optional modelOptions;

    @Mixin
    ResizeOption resize = new ResizeOption();

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The loops of {@code --loops}, in the order they run. */
    static final List<String> LOOPS = List.of("pgd-20", "apgd-ce", "square", "deepfool", "cw", "ig-64", "occlusion", "corruptions");

    /** {@link #LOOPS} and {@code all} as the choices of {@code --loops}. */
    static final class LoopNames extends Choices.Names {
        @Override
        List<String> names() {
            List<String> n = new ArrayList<>(LOOPS);
            n.add("all");
            return n;
        }
    }

    /** The memory table, a backend's row printed as soon as it is measured. */
    private static final Table MEMORY = Table.of(Table.left("memory", 10), Table.right("steps", 8), Table.right("heap warm MiB", 14),
            Table.right("heap end MiB", 14), Table.right("RSS warm MiB", 14), Table.right("RSS end MiB", 14)).gap(1);

    /** {@code v} with {@code decimals} decimals. */
    private static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Seconds of the FMA loop that measures the peak, after its own warm-up of half as long. */
    private static final double PEAK_SECONDS = 0.5;
    /** Seconds of the memory triad that measures the bandwidth, after its own warm-up of half as long. */
    private static final double BANDWIDTH_SECONDS = 0.5;
    /** Seconds of profiled steps per architecture and step (at least {@value #PROFILED_STEPS} steps). */
    private static final double PROFILE_SECONDS = 1;
    private static final int PROFILED_STEPS = 2;

    /** Images per second of each backend, one entry per round. */
    private record Rates(double[] own, double[] torch) {
        double ownMedian() {
            return median(own);
        }

        double torchMedian() {
            return median(torch);
        }
    }

    private record Row(String arch, String step, int batch, Rates rates, double gflops, LayerProfile profile) {
    }

    private record Loop(String name, int images, Rates rates, String note, double[] ownMemory, double[] torchMemory) {
    }

    /**
     * What an architecture is benchmarked on: its input, classes and normalisation, and the batch it is timed at
     * unless {@code --batch-size} says otherwise.
     */
    record Workload(Shape input, int classes, float[] mean, float[] std, int batch) {
        static Workload of(String arch) {
            return switch (arch) {
                case "resnet20" -> new Workload(Shape.of(3, 32, 32), 10, new float[] {0.4914f, 0.4822f, 0.4465f},
                        new float[] {0.2470f, 0.2435f, 0.2616f}, 128);
                case "resnet18" -> new Workload(Shape.of(3, 224, 224), 1000, new float[] {0.485f, 0.456f, 0.406f},
                        new float[] {0.229f, 0.224f, 0.225f}, 16);
                default -> new Workload(Shape.of(1, 28, 28), 10, new float[] {0.286f}, new float[] {0.353f}, 64);
            };
        }

        List<String> classNames() {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                c.add(Integer.toString(i));
            }
            return c;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (batch != null && batch < 1 || !(seconds > 0) || Double.isInfinite(seconds)) {
            throw new UsageException("--batch-size must be >= 1 and --seconds > 0");
        }
        if (batch != null && batch > MAX_BATCH) {
            throw new UsageException("--batch-size must be at most " + MAX_BATCH + ", got " + batch);
        }
        if (rounds < 1) {
            throw new UsageException("--rounds must be >= 1, got " + rounds);
        }
        if (loopRounds < 1) {
            throw new UsageException("--loop-rounds must be >= 1, got " + loopRounds);
        }
        if (warmup != null && (!(warmup >= 0) || warmup.isInfinite())) {
            throw new UsageException("--warmup must be >= 0 seconds, got " + warmup);
        }
        if (memorySteps < 0) {
            throw new UsageException("--memory-steps must be >= 0, got " + memorySteps);
        }
        List<String> loops = loopNames == null ? List.of() : loopNames.contains("all") ? LOOPS : LOOPS.stream().filter(loopNames::contains).toList();
        Map<String, Integer> images = loopImages(loopImages);
        if (loops.isEmpty() && (data != null || torchscript != null)) {
            throw new UsageException((data != null ? "--data" : "--torchscript") + " is for --loops, which is not given");
        }
        SingleFile.check("--json", json);
        PrintWriter o = SingleFile.tables(json, spec.commandLine().getOut());
        modelOptions.flags().requireNoRunner("bench times both backends on the CPU");
        Path model = modelOptions.given() ? modelOptions.file() : DEFAULT_MODEL;
        Network loopNet = !loops.isEmpty() || memorySteps > 0 ? modelOptions.network(model, "bench times .fovea models on both backends") : null;
        if (torchscript != null && !Files.isRegularFile(torchscript)) {
            throw new java.nio.file.NoSuchFileException(torchscript.toString(), null, "no such TorchScript model");
        }
        o.printf(Locale.ROOT, "fovea bench: %s%d threads (own engine and libtorch), %s%n",
                !steps ? "" : batch != null ? "batch " + batch + ", " : "batch 64 (resnet20 128, resnet18 16), ", Parallel.threads(), Machine.describe());
        if (steps) {
            o.printf(Locale.ROOT, "medians of %d rounds of %.2f s per backend, alternating, after %.1f s warm-up each%s%n", rounds,
                seconds / rounds, warmupSeconds(), warmup == null ? " (and " + WARM_STEPS + " steps at least, or " + fixed(WARM_MAX_SECONDS, 0) + " s)" : "");
        }
        o.flush();
        double peak = Peak.measureGflops(PEAK_SECONDS);
        double bandwidth = Peak.measureBandwidth(BANDWIDTH_SECONDS);
        double nominal = Machine.nominalGflops();
        List<Row> rows = new ArrayList<>();
        for (String arch : steps ? archs : List.<String>of()) {
            Workload wl = Workload.of(arch);
            int n = batch != null ? batch : wl.batch();
            Shape in = wl.input();
            Tensor x = Tensor.uniform(in.withBatch(n), 0, 1, 1);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % wl.classes();
            }
            Network net = Network.create(Architecture.named(arch), in, wl.classNames(), wl.mean(), wl.std(), 1);
            long macs = net.root().macs(in.withBatch(1));
            EngineClassifier own = new EngineClassifier(net, n);
            Optimizer opt = Optimizer.Kind.ADAM.create(net.params(), 0.9f, false, 0f);
            Runnable ownTrain = () -> {
                opt.zeroGrad();
                Tensor z = net.forward(x, true);
                net.backwardParams(SoftmaxCrossEntropy.compute(z, y).gradient());
                opt.step(1e-3f);
            };
            Runnable ownGrad = () -> own.gradient(x, Objective.crossEntropy(y));
            Runnable ownInfer = () -> own.logits(x);
            try (LibtorchNetwork lt = new LibtorchNetwork(net, Device.CPU, n)) {
                Rates train = compare(ownTrain, () -> lt.trainStep(x, y, 1e-3f), 3, n);
                LayerProfile trainProfile = profile(ownTrain);
                Rates grad = compare(ownGrad, () -> lt.gradient(x, Objective.crossEntropy(y)), 3, n);
                LayerProfile gradProfile = profile(ownGrad);
                Rates infer = compare(ownInfer, () -> lt.logits(x), 3, n);
                LayerProfile inferProfile = profile(ownInfer);
                rows.add(new Row(arch, "train", n, train, train.ownMedian() * 6.0 * macs / 1e9, trainProfile));
                rows.add(new Row(arch, "input-gradient", n, grad, grad.ownMedian() * 4.0 * macs / 1e9, gradProfile));
                rows.add(new Row(arch, "inference", n, infer, infer.ownMedian() * 2.0 * macs / 1e9, inferProfile));
            }
        }
        if (steps) {
            printSteps(rows, peak, nominal, bandwidth, o);
        }
        o.flush();
        List<Loop> loopRows = new ArrayList<>();
        if (!loops.isEmpty()) {
            loopRows = loops(loopNet, model, loops, images, o);
        }
        if (memorySteps > 0) {
            memory(loopNet, o);
        }
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("fovea_version", Version.VERSION);
            if (batch != null) {
                root.put("batch_size", batch);
            }
            root.put("threads", Parallel.threads());
            root.put("machine", Machine.describe());
            root.put("peak_gflops_measured", peak);
            root.put("peak_method", peakMethod());
            root.put("peak_gflops_nominal", nominal);
            root.put("peak_nominal_formula", Machine.nominalFormula());
            root.put("memory_gb_per_s_measured", bandwidth);
            root.put("libtorch", Libtorch.engine().getVersion());
            root.put("rounds", rounds);
            root.put("seconds_per_round", seconds / rounds);
            root.put("warmup_seconds", warmupSeconds());
            ArrayNode a = root.putArray("results");
            for (Row r : rows) {
                ObjectNode n = a.addObject();
                n.put("arch", r.arch);
                n.put("step", r.step);
                n.put("batch_size", r.batch);
                putRates(n, r.rates);
                n.put("own_gflops", r.gflops);
                n.put("own_of_peak", r.gflops / peak);
                ObjectNode layers = n.putObject("own_by_layer_kind");
                for (LayerProfile.Kind k : LayerProfile.Kind.values()) {
                    if (r.profile.calls(k) == 0) {
                        continue;
                    }
                    ObjectNode kn = layers.putObject(k.label());
                    double t = r.profile.seconds(k);
                    kn.put("share_of_time", t / r.profile.seconds());
                    kn.put("gflops", r.profile.flops(k) / t / 1e9);
                    kn.put("of_peak", r.profile.flops(k) / t / 1e9 / peak);
                    kn.put("gb_per_s", r.profile.bytes(k) / t / 1e9);
                    kn.put("of_bandwidth", r.profile.bytes(k) / t / 1e9 / bandwidth);
                }
            }
            if (!loops.isEmpty()) {
                root.put("loops_model", model.toString());
                root.put("loops_model_sha256", dev.fovea.io.Digests.sha256(model));
                if (torchscript != null) {
                    root.put("loops_torchscript", torchscript.toString());
                    root.put("loops_torchscript_sha256", dev.fovea.io.Digests.sha256(torchscript));
                }
                root.put("loops_data", data == null ? "random pixels labelled with the model's predictions" : data);
                root.put("loop_rounds", loopRounds);
                ArrayNode l = root.putArray("loops");
                for (Loop r : loopRows) {
                    ObjectNode n = l.addObject();
                    n.put("loop", r.name);
                    n.put("images", r.images);
                    putRates(n, r.rates);
                    n.put("own_peak_heap_mib", r.ownMemory[0]);
                    n.put("own_peak_rss_mib", r.ownMemory[1]);
                    n.put("libtorch_peak_heap_mib", r.torchMemory[0]);
                    n.put("libtorch_peak_rss_mib", r.torchMemory[1]);
                    if (r.note != null) {
                        n.put("note", r.note);
                    }
                }
            }
            byte[] bytes = m.writeValueAsBytes(root);
            SingleFile.write(json, bytes, spec.commandLine().getOut());
        }
        return Cli.OK;
    }

    /** The step table, the peak and the table by layer kind. */
    private static void printSteps(List<Row> rows, double peak, double nominal, double bandwidth, PrintWriter o) {
        o.println();
        Table steps = Table.of(Table.left("arch", 8), Table.left("step", 15), Table.right("batch", 6), Table.right("own img/s", 12),
                Table.right("libtorch", 12), Table.right("own/lt", 10), Table.right("GFLOP/s", 10), Table.right("of peak", 9)).gap(1);
        for (Row r : rows) {
            double own = r.rates.ownMedian();
            double torch = r.rates.torchMedian();
            steps.row(r.arch, r.step, Integer.toString(r.batch), fixed(own, own < 100 ? 1 : 0), fixed(torch, torch < 100 ? 1 : 0),
                    fixed(own / torch, 2) + "x", fixed(r.gflops, 1), fixed(100 * r.gflops / peak, 1) + "%");
        }
        steps.print(o);
        o.printf(Locale.ROOT, "peak: %.0f GFLOP/s measured (%s, %d threads); nominal %.0f (%s); memory %.1f GB/s (triad, %d threads)%n", peak,
                peakMethod(), Parallel.threads(), nominal, Machine.nominalFormula(), bandwidth, Parallel.threads());
        o.println();
        o.println("own engine by layer kind: share of the step's layer time, GFLOP/s and fraction of the FMA peak, GB/s (input, output"
                + " and gradients, at least) and fraction of the memory bandwidth");
        Table kinds = Table.of(Table.left("arch", 8), Table.left("step", 15), Table.left("layers", 13), Table.right("time", 7),
                Table.right("GFLOP/s", 9), Table.right("of peak", 8), Table.right("GB/s", 7), Table.right("of bw", 7)).gap(1);
        for (Row r : rows) {
            for (LayerProfile.Kind k : LayerProfile.Kind.values()) {
                double t = r.profile.seconds(k);
                if (r.profile.calls(k) == 0 || !(t > 0)) {
                    continue;
                }
                double gf = r.profile.flops(k) / t / 1e9;
                double gb = r.profile.bytes(k) / t / 1e9;
                kinds.row(r.arch, r.step, k.label(), fixed(100 * t / r.profile.seconds(), 1) + "%", fixed(gf, 1), fixed(100 * gf / peak, 1) + "%",
                        fixed(gb, 1), fixed(100 * gb / bandwidth, 1) + "%");
            }
        }
        kinds.print(o);
    }

    /** {@code --loop-images}: a count for every loop, then {@code LOOP=N} exceptions. */
    static Map<String, Integer> loopImages(String spec) {
        Map<String, Integer> out = new java.util.HashMap<>();
        String[] parts = spec.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String key = i == 0 ? "" : null;
            String value = part;
            int eq = part.indexOf('=');
            if (eq >= 0) {
                key = part.substring(0, eq).strip();
                value = part.substring(eq + 1).strip();
                if (!LOOPS.contains(key)) {
                    throw new UsageException("--loop-images: unknown loop '" + key + "' (loops: " + String.join(", ", LOOPS) + ")");
                }
            } else if (key == null) {
                throw new UsageException("--loop-images: expected LOOP=N after the first count, got '" + part + "'");
            }
            int v;
            try {
                v = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new UsageException("--loop-images: expected a whole number of images, got '" + value + "'");
            }
            if (v < 1 || v > MAX_BATCH) {
                throw new UsageException("--loop-images: expected 1 to " + MAX_BATCH + " images, got " + v);
            }
            out.put(key, v);
        }
        return out;
    }

    /** Runs {@code step} under a {@link LayerProfile} for {@value #PROFILE_SECONDS} s (at least {@value #PROFILED_STEPS} times). */
    private static LayerProfile profile(Runnable step) {
        return LayerProfile.during(() -> {
            long end = System.nanoTime() + (long) (PROFILE_SECONDS * 1e9);
            for (int n = 0; n < PROFILED_STEPS || System.nanoTime() < end; n++) {
                step.run();
            }
        });
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

    /** The images and labels of the loops: {@code --data}, else random pixels labelled with the model's predictions. */
    private record LoopData(Tensor x, int[] y) {
        LoopData first(int n) {
            int k = Math.min(n, y.length);
            return new LoopData(x.slice(0, k), Arrays.copyOf(y, k));
        }
    }

    /**
     * The {@code names} loops on {@code net} (own engine) and on libtorch ({@code --torchscript}, else {@code net}'s
     * layers there), each row printed as it is measured. Without {@code --data} the images are random pixels labelled
     * with the model's own predictions: every image starts classified correctly, so the attacks work on each until it
     * is fooled (they stop per image then, as on real data).
     */
    private List<Loop> loops(Network net, Path model, List<String> names, Map<String, Integer> counts, PrintWriter o) throws Exception {
        int perPass = batch != null ? batch : ModelLoader.Options.DEFAULT_BATCH_SIZE;
        int most = 0;
        for (String name : names) {
            most = Math.max(most, counts.getOrDefault(name, counts.get("")));
        }
        EngineClassifier own = new EngineClassifier(net, perPass);
        LoopData all;
        if (data != null) {
            Dataset d = dev.fovea.data.DataSpec.load(data, null, null, net.inputShape(), net.info().classNames(), resize.mode);
            ResizeOption.notice(spec, d.source(), d.fitting());
            d = d.limit(Math.min(most, d.size()));
            all = new LoopData(d.images(), d.labels());
        } else {
            Tensor x = Tensor.uniform(net.inputShape().withBatch(most), 0, 1, 2);
            all = new LoopData(x, own.predict(x));
        }
        try (Classifier lt = torchscript != null ? ModelLoader.open(torchscript, ModelLoader.Options.defaults().withBatchSize(perPass))
                : new LibtorchNetwork(net, Device.CPU, perPass)) {
            if (lt.classes() != net.classes() || !lt.inputShape().equals(net.inputShape())) {
                throw new UsageException("--torchscript: " + torchscript + " takes " + lt.inputShape() + " and has " + lt.classes() + " classes; "
                        + model + " takes " + net.inputShape() + " and has " + net.classes() + " classes");
            }
            List<Loop> out = new ArrayList<>();
            o.println();
            o.printf(Locale.ROOT, "loops on %s: own engine against %s, %d images per pass, %s; median of %d run%s per backend after a warm-up"
                    + " on 4 images; the highest heap in use and resident set of each (own engine; lt: libtorch's)%n",
                    model.getFileName(), torchscript != null ? torchscript.getFileName() + " on libtorch" : "its layers on libtorch", perPass,
                    data != null ? data : "random pixels labelled with the model's predictions", loopRounds, loopRounds == 1 ? "" : "s");
            Table table = Table.of(Table.left("loop", 12), Table.right("images", 7), Table.right("own img/s", 10), Table.right("libtorch", 10),
                    Table.right("own/lt", 8), Table.right("heap MiB", 9), Table.right("RSS MiB", 8), Table.right("lt RSS", 7), Table.left("", 0)).gap(1);
            o.println(table.header());
            o.flush();
            for (String name : names) {
                LoopData d = all.first(counts.getOrDefault(name, counts.get("")));
                CorruptionRun.Timing[] timing = new CorruptionRun.Timing[2];
                LoopData warm = d.first(4);
                loop(name, own, warm, null).run();
                loop(name, lt, warm, null).run();
                double[] a = new double[loopRounds];
                double[] b = new double[loopRounds];
                Runnable ownRun = loop(name, own, d, t -> timing[0] = t);
                Runnable ltRun = loop(name, lt, d, t -> timing[1] = t);
                double[] ownMemory = {0, 0};
                double[] torchMemory = {0, 0};
                for (int r = 0; r < loopRounds; r++) {
                    if (r % 2 == 0) {
                        a[r] = measured(ownRun, d.y.length, ownMemory);
                        b[r] = measured(ltRun, d.y.length, torchMemory);
                    } else {
                        b[r] = measured(ltRun, d.y.length, torchMemory);
                        a[r] = measured(ownRun, d.y.length, ownMemory);
                    }
                }
                int corrupted = name.equals("corruptions") ? CORRUPTION_RUNS : 1;
                for (int r = 0; r < loopRounds; r++) {
                    a[r] *= corrupted;
                    b[r] *= corrupted;
                }
                String note = timing[0] == null ? null : String.format(Locale.ROOT, "corrupting %.1f s, model %.1f s (own engine), %.1f s (libtorch)",
                        timing[0].corruptingSeconds(), timing[0].modelSeconds(), timing[1].modelSeconds());
                Loop l = new Loop(name, d.y.length, new Rates(a, b), note, ownMemory, torchMemory);
                out.add(l);
                double ownRate = l.rates.ownMedian();
                double torchRate = l.rates.torchMedian();
                o.println(table.line(name, Integer.toString(l.images), fixed(ownRate, ownRate < 100 ? 1 : 0), fixed(torchRate, torchRate < 100 ? 1 : 0),
                        fixed(ownRate / torchRate, 2) + "x", fixed(ownMemory[0], 0), fixed(ownMemory[1], 0), fixed(torchMemory[1], 0),
                        note == null ? "" : note));
                o.flush();
            }
            return out;
        }
    }

    /** Images per second of one run of {@code run} on {@code images} images; the peak heap and resident set go into {@code memory}, the larger kept. */
    private static double measured(Runnable run, int images, double[] memory) {
        try (PeakMemory peak = new PeakMemory()) {
            long t0 = System.nanoTime();
            run.run();
            double rate = images / ((System.nanoTime() - t0) / 1e9);
            memory[0] = Math.max(memory[0], peak.heapMiB());
            memory[1] = Math.max(memory[1], peak.residentMiB());
            return rate;
        }
    }

    /** Corrupted copies the corruption loop classifies per image: the 15 benchmark corruptions at 5 severities. */
    private static final int CORRUPTION_RUNS = 15 * 5;

    /** One run of loop {@code name} on {@code m} and {@code d}; the corruption loop hands its timing to {@code timing}. */
    private static Runnable loop(String name, Classifier m, LoopData d, java.util.function.Consumer<CorruptionRun.Timing> timing) {
        Tensor x = d.x;
        int[] y = d.y;
        switch (name) {
            case "pgd-20" -> {
                Attack pgd = Attacks.named("pgd");
                AttackConfig c = pgd.defaults(Norm.LINF, 8 / 255.0);
                AttackConfig cfg = new AttackConfig(Norm.LINF, c.eps(), 20, c.stepSize(), 1, c.randomStart(), Target.UNTARGETED, c.seed());
                return () -> pgd.run(m, x, y, cfg);
            }
            case "apgd-ce" -> {
                Attack apgd = Attacks.named("apgd-ce");
                AttackConfig cfg = apgd.defaults(Norm.LINF, 8 / 255.0);
                return () -> apgd.run(m, x, y, cfg);
            }
            case "square" -> {
                Attack square = Attacks.named("square");
                AttackConfig c = square.defaults(Norm.LINF, 8 / 255.0);
                AttackConfig cfg = new AttackConfig(Norm.LINF, c.eps(), 1000, c.stepSize(), 1, c.randomStart(), Target.UNTARGETED, c.seed(), c.options());
                return () -> square.run(m, x, y, cfg);
            }
            case "deepfool" -> {
                Attack deepfool = Attacks.named("deepfool");
                AttackConfig cfg = deepfool.defaults(Norm.L2, 0.5);
                return () -> deepfool.run(m, x, y, cfg);
            }
            case "cw" -> {
                Attack cw = Attacks.named("cw");
                AttackConfig cfg = cw.defaults(Norm.L2, 0.5);
                return () -> cw.run(m, x, y, cfg);
            }
            case "ig-64" -> {
                Attribution ig = Explainers.named("integrated-gradients");
                ExplainConfig cfg = ExplainConfig.of(ig.options(Map.of("steps", "64")));
                return () -> ig.attribute(m, x, y, cfg);
            }
            case "occlusion" -> {
                Attribution occlusion = Explainers.named("occlusion");
                ExplainConfig cfg = ExplainConfig.of(occlusion.options(Map.of("window", "4", "stride", "2")));
                return () -> occlusion.attribute(m, x, y, cfg);
            }
            case "corruptions" -> {
                CorruptionRun run = CorruptionRun.of(Corruptions.of(Suite.BENCHMARK)).withBatchSize(m.batchSize());
                return () -> {
                    CorruptionRun.Result r = run.run(m, x, y, dev.fovea.audit.ProgressListener.NONE);
                    if (timing != null) {
                        timing.accept(r.timing());
                    }
                };
            }
            default -> throw new IllegalArgumentException("bench: unknown loop '" + name + "'");
        }
    }

    /**
     * Steady-state memory of the input-gradient step on each backend: the heap in use after a full GC and the
     * process's resident set, after a tenth of the steps (warm) and after all of them.
     */
    private void memory(Network net, PrintWriter o) throws Exception {
        int batch = this.batch != null ? this.batch : ModelLoader.Options.DEFAULT_BATCH_SIZE;
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
        return status("VmRSS:");
    }

    /**
     * The highest heap in use and resident set while {@code run} runs: the heap sampled every few milliseconds
     * (garbage not yet collected included), the resident set as the kernel's high-water mark {@code VmHWM}, reset
     * first through {@code /proc/self/clear_refs} (NaN where that cannot be done).
     */
    static final class PeakMemory implements AutoCloseable {
        private final java.lang.management.MemoryMXBean bean = java.lang.management.ManagementFactory.getMemoryMXBean();
        private final Thread sampler;
        private final boolean rssReset;
        private volatile boolean done;
        private volatile long heapPeak;

        PeakMemory() {
            boolean reset;
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                reset = true;
            } catch (java.io.IOException | SecurityException e) {
                reset = false;
            }
            rssReset = reset;
            heapPeak = bean.getHeapMemoryUsage().getUsed();
            sampler = new Thread(() -> {
                while (!done) {
                    heapPeak = Math.max(heapPeak, bean.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fovea-bench-memory");
            sampler.setDaemon(true);
            sampler.start();
        }

        double heapMiB() {
            return Math.max(heapPeak, bean.getHeapMemoryUsage().getUsed()) / 1048576.0;
        }

        double residentMiB() {
            return rssReset ? status("VmHWM:") : Double.NaN;
        }

        @Override
        public void close() {
            done = true;
            sampler.interrupt();
        }
    }

    /** A size in kB from /proc/self/status, in MiB, or NaN where there is none. */
    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
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
     * Images per second of {@code own} and {@code torch} on one batch of {@code images}. Each is warmed up for
     * {@link #warmupSeconds()} (and, without {@code --warmup}, at least {@value #WARM_STEPS} steps or
     * {@value #WARM_MAX_SECONDS} s), then both are timed in {@code rounds} rounds of {@code seconds / rounds} each, in
     * turn: own engine first in even rounds, libtorch first in odd ones, so that drift in the machine's speed reaches
     * both alike. Every timed part runs the step at least {@code minRuns} times.
     */
    private Rates compare(Runnable own, Runnable torch, int minRuns, int images) {
        long warmNanos = (long) (warmupSeconds() * 1e9);
        int warmRuns = warmup == null ? WARM_STEPS : minRuns;
        warm(own, warmNanos, warmRuns);
        warm(torch, warmNanos, warmRuns);
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

    /** Seconds after which the warm-up stops short of its {@link #WARM_STEPS} steps (a large network's step is slow). */
    private static final double WARM_MAX_SECONDS = 10;

    /** Runs {@code step} for {@code nanos}, and at least {@code minRuns} times unless {@link #WARM_MAX_SECONDS} pass first. */
    private static void warm(Runnable step, long nanos, int minRuns) {
        long t0 = System.nanoTime();
        int n = 0;
        while (n < 1 || System.nanoTime() - t0 < nanos || n < minRuns && System.nanoTime() - t0 < WARM_MAX_SECONDS * 1e9) {
            step.run();
            n++;
        }
    }

    /** Images per second of {@code step} on {@code images} images, run for at least {@code nanos} and {@code minRuns} times. */
    private static double rate(Runnable step, long nanos, int minRuns, int images) {
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
