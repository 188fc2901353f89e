package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.Targets;
import dev.fovea.image.Heatmaps;
import dev.fovea.image.Images;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain METHOD}: attribution maps of a model's decisions for a data set or one image, written as
 * {@code explain.json}, {@code attributions.npy} and a labelled grid of input, heat map and overlay per sample.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ExplainVisualizeCommand.class, ExplainFiltersCommand.class, ExplainFeaturesCommand.class, ExplainTopCommand.class,
                ExplainPlaneCommand.class, ExplainSanityCommand.class, ExplainDeletionCommand.class},
        description = {"Explain a model's decisions with an attribution method: maps as .npy, a report and heat-map grids.",
                "'fovea explain --list' describes the methods."})
public final class ExplainCommand implements Callable<Integer> {
    /** Samples drawn in one grid picture. */
    static final int GRID_ROWS = 8;

    @Parameters(index = "0", arity = "0..1", paramLabel = "METHOD", description = "Attribution method (see --list).")
    String method;

    @Option(names = "--list", description = "Describe every method and exit.")
    boolean list;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "Model file (.fovea or TorchScript).")
    Path model;

    @Mixin
    ModelFlags modelFlags;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to explain (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--image", paramLabel = "FILE", description = "One image file instead of --data.")
    Path image;

    @Option(names = "--target", defaultValue = "pred", paramLabel = "label|pred|CLASS",
            description = "Class explained: the label, the prediction, or a class index or name (default: ${DEFAULT-VALUE}).")
    String target;

    // The methods' own options: each method reads those it has by their library names (Flags.values), the rest
    // are not used. Their defaults are the library's (ExplainCommandTest checks).
    @Option(names = "--steps", defaultValue = "32", description = "Integrated Gradients: integration points (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rule", defaultValue = "gauss-legendre", paramLabel = "left|right|middle|trapezoid|gauss-legendre",
            description = "Integrated Gradients: quadrature rule (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--baseline", defaultValue = "black", paramLabel = "black|blurred|uniform|image",
            description = "Integrated Gradients: reference input (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--baseline-image", paramLabel = "FILE", description = "The reference image for --baseline image.")
    Path baselineImage;

    @Option(names = "--samples", defaultValue = "32", description = "SmoothGrad, VarGrad: noisy copies (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", defaultValue = "0.15",
            description = "SmoothGrad, VarGrad: noise std as a fraction of the pixel range (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--layer", paramLabel = "NAME", description = "Grad-CAM(++): layer (default: the last convolutional one).")
    String layer;

    @Option(names = "--window", defaultValue = "4", description = "Occlusion: square size in pixels (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", defaultValue = "2", description = "Occlusion: step in pixels (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--baseline-value", defaultValue = "0", description = "Occlusion: value of the square (default: ${DEFAULT-VALUE}).")
    double baselineValue;

    @Option(names = "--score", defaultValue = "logit", paramLabel = "logit|probability",
            description = "What is explained: the target's logit or its probability (default: ${DEFAULT-VALUE}).")
    String score;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "64", description = "Model rows per call, bounding memory (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Folder for the results.")
    Path out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (list) {
            for (Attribution a : Explainers.all()) {
                o.printf(Locale.ROOT, "%-21s %s%n", a.name(), a.describe());
            }
            o.println();
            o.println("Tools (fovea explain TOOL --help):");
            for (picocli.CommandLine sub : spec.commandLine().getSubcommands().values()) {
                String d = String.join(" ", sub.getCommandSpec().usageMessage().description());
                String first = d.split("(?<!et al)\\.\\s", 2)[0];
                o.printf(Locale.ROOT, "  %-19s %s%n", sub.getCommandName(), first.endsWith(".") ? first : first + ".");
            }
            o.flush();
            return Cli.OK;
        }
        if (method == null || model == null || out == null || (data == null) == (image == null)) {
            throw new UsageException("METHOD, --model, --out and one of --data or --image are required (or --list)");
        }
        Attribution a = Explainers.named(method);
        Map<String, String> values = Flags.values(a.optionInfo(), spec);
        ExplainConfig cfg = new ExplainConfig(a.options(values), OptionInfo.parse(ExplainConfig.Score.class, "score", score), batchSize, seed);
        try (Classifier m = modelFlags.open(model, batchSize)) {
            Shape in = m.inputShape();
            Map<String, Tensor> tensors = tensors(a, in);
            if (!tensors.isEmpty()) {
                cfg = cfg.withOptions(a.options(values, tensors));
            }
            Tensor x;
            int[] labels;
            String source;
            String sourceSha;
            if (image != null) {
                x = Images.read(image, in.dim(0), in.dim(1), in.dim(2)).reshape(in.withBatch(1));
                labels = null;
                source = image.toString();
                sourceSha = Digests.sha256(image);
            } else {
                Dataset d = dataOptions.load(data, in);
                if (d.classNames().size() != m.classes()) {
                    throw new IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
                }
                x = d.images();
                labels = d.labels();
                source = d.source();
                sourceSha = Digests.sha256(d);
            }
            int[] targets = Targets.resolve(target, m, x, labels);
            cfg = cfg.withOptions(a.resolve(m, x, cfg.options()));
            Files.createDirectories(out);
            int n = x.dim(0);
            Tensor logits = m.logits(x);
            float[] prob = Softmax.apply(logits.data(), n, m.classes());
            int[] pred = logits.argmaxRows();
            o.printf(Locale.ROOT, "%s on %s (%d images, %s), target %s%n", a.name(), source, n, m.backend(), target);
            o.flush();
            long t0 = System.nanoTime();
            AttributionResult r = attribute(a, m, x, targets, cfg);
            double seconds = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "%d images in %.2f s (%.1f images/s)%n", n, seconds, n / seconds);
            Npy.write(out.resolve("attributions.npy"), r.maps());
            writeReport(a, cfg, tensors.keySet(), m, r, labels, pred, prob, targets, source, sourceSha, seconds);
            grid(out.resolve("grid.png"), a, m, x, r, labels, pred, prob, targets);
            if (r.hasDeltas()) {
                double worst = Arrays.stream(r.deltas()).map(Math::abs).max().orElse(0);
                o.printf(Locale.ROOT, "completeness: max |delta| %.3g, mean |delta| %.3g%n", worst,
                        Arrays.stream(r.deltas()).map(Math::abs).average().orElse(0));
            }
            o.println("wrote " + out + " (explain.json, attributions.npy " + r.maps().shape() + ", grid.png)");
        }
        return Cli.OK;
    }

    /**
     * The method's tensor-valued options (Integrated Gradients' baseline image) read from the image files their
     * flags name, at the model's input size {@code in} {@code [C,H,W]}; a flag not given is left out.
     */
    private Map<String, Tensor> tensors(Attribution a, Shape in) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (OptionInfo info : a.optionInfo()) {
            OptionSpec flag = info.type().equals("tensor") ? Flags.option(info.name(), spec) : null;
            if (flag != null && flag.getValue() != null) {
                Path file = flag.getValue();
                out.put(info.name(), Images.read(file, in.dim(0), in.dim(1), in.dim(2)).reshape(in));
            }
        }
        return out;
    }

    /**
     * Runs the method in chunks of samples for the progress bar: one sample at a time for methods that evaluate
     * many rows per sample, else {@code --batch-size} samples. Chunk {@code [from, to)} draws its random numbers
     * from a seed derived from {@code --seed} and {@code from}, so each sample's draws follow the seed and its
     * position alone.
     */
    private AttributionResult attribute(Attribution a, Classifier m, Tensor x, int[] targets, ExplainConfig cfg) {
        int n = x.dim(0);
        int chunk = a.manyRowsPerSample() ? 1 : cfg.batchSize();
        Tensor maps = Tensor.zeros(a.kind().shape(x.shape()));
        double[] scores = new double[n];
        double[] deltas = null;
        String usedLayer = null;
        int per = maps.shape().sizeFrom(1);
        try (Progress bar = Progress.start("explain " + a.name(), n, "img", verbosity.quiet)) {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                ExplainConfig c = cfg.withSeed(cfg.seed() + 0x9E3779B97F4A7C15L * from).withOptions(cfg.options().forSamples(from, to));
                AttributionResult r = a.attribute(m, x.slice(from, to), Arrays.copyOfRange(targets, from, to), c);
                System.arraycopy(r.maps().data(), 0, maps.data(), from * per, (to - from) * per);
                System.arraycopy(r.scores(), 0, scores, from, to - from);
                if (r.hasDeltas()) {
                    deltas = deltas == null ? new double[n] : deltas;
                    System.arraycopy(r.deltas(), 0, deltas, from, to - from);
                }
                usedLayer = r.layer();
                bar.step(to - from, null);
            }
        }
        return new AttributionResult(maps, scores, deltas, usedLayer);
    }

    private void writeReport(Attribution a, ExplainConfig cfg, Set<String> files, Classifier m, AttributionResult r, int[] labels, int[] pred,
                             float[] prob, int[] targets, String source, String sourceSha, double seconds) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("method", a.name());
        root.put("description", a.describe());
        root.put("signed", a.signed());
        root.put("maps_shape", r.maps().shape().toString());
        ObjectNode opts = mapper.valueToTree(cfg);
        root.set("options", opts);
        for (String name : files) {
            // A tensor option is reported as the file it was read from: baselineImage as baseline_image.
            Path file = Flags.option(name, spec).getValue();
            opts.put(new PropertyNamingStrategies.SnakeCaseStrategy().translate(name), file.toString());
        }
        if (r.layer() != null) {
            opts.put("layer", r.layer());
        }
        root.put("target", target);
        root.put("seed", cfg.seed());
        root.put("n", targets.length);
        root.put("model", model.toString());
        root.put("model_sha256", Digests.sha256(model));
        root.put("backend", m.backend());
        root.put("data", source);
        root.put("data_sha256", sourceSha);
        root.put("seconds", seconds);
        root.put("fovea_version", Version.VERSION);
        root.put("java_version", System.getProperty("java.version"));
        if (r.hasDeltas()) {
            ObjectNode c = root.putObject("completeness");
            c.put("max_abs_delta", Arrays.stream(r.deltas()).map(Math::abs).max().orElse(0));
            c.put("mean_abs_delta", Arrays.stream(r.deltas()).map(Math::abs).average().orElse(0));
        }
        ArrayNode samplesNode = root.putArray("samples");
        int k = m.classes();
        int per = r.maps().shape().sizeFrom(1);
        for (int i = 0; i < targets.length; i++) {
            ObjectNode s = samplesNode.addObject();
            s.put("index", i);
            if (labels != null) {
                s.put("label", labels[i]);
            }
            s.put("prediction", pred[i]);
            s.put("confidence", prob[i * k + pred[i]]);
            s.put("target", targets[i]);
            s.put("target_name", m.classNames().get(targets[i]));
            s.put("score", r.scores()[i]);
            double sum = 0;
            double abs = 0;
            for (int j = i * per; j < (i + 1) * per; j++) {
                sum += r.maps().data()[j];
                abs = Math.max(abs, Math.abs(r.maps().data()[j]));
            }
            s.put("sum", sum);
            s.put("max_abs", abs);
            if (r.hasDeltas()) {
                s.put("delta", r.deltas()[i]);
            }
        }
        byte[] json = mapper.writeValueAsBytes(root);
        AtomicFiles.write(out.resolve("explain.json"), os -> os.write(json));
    }

    private static void grid(Path file, Attribution a, Classifier m, Tensor x, AttributionResult r, int[] labels, int[] pred, float[] prob,
                             int[] targets) throws IOException {
        int k = m.classes();
        List<String> names = m.classNames();
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        for (int i = 0; i < Math.min(GRID_ROWS, targets.length); i++) {
            Tensor img = x.slice(i, i + 1).reshape(m.inputShape());
            Tensor map = r.maps().slice(i, i + 1);
            map = map.reshape(map.shape().tail());
            Tensor heat = Heatmaps.colour(map, a.signed());
            String truth = labels == null ? "" : (labels[i] == pred[i] ? "" : " (label " + names.get(labels[i]) + ")");
            rows.add(List.of(img, heat, Heatmaps.overlay(img, map, a.signed(), 0.8)));
            caps.add(List.of(String.format(Locale.ROOT, "%s %.0f%%%s", names.get(pred[i]), 100 * prob[i * k + pred[i]], truth),
                    a.name() + "\nfor " + names.get(targets[i]),
                    String.format(Locale.ROOT, "overlay\nscore %.3g", r.scores()[i])));
        }
        Pictures.grid(file, rows, caps, 4);
    }
}
