package dev.fovea.cli;

import dev.fovea.audit.report.Charts;
import dev.fovea.audit.report.Pictures;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.explain.visualize.ActivationMaximization;
import dev.fovea.explain.visualize.Parameterization;
import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain visualize}: activation maximisation of class logits, a channel or a neuron, several seeded
 * starts each; writes the images as {@code .npy}, a grid of the best start per target, all starts, and a JSON
 * summary.
 */
@Command(name = "visualize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Activation maximisation: the input that most excites a class logit, a channel or a neuron.",
                "Default: every class. With --data, images start from the data's mean image, else from --start grey."})
public final class ExplainVisualizeCommand implements Callable<Integer> {
    /** The most random starts per target: every start of every target is optimised at once. */
    static final int MAX_STARTS = 100;

    @Mixin
    ModelOptions.Required model;

    @Option(names = "--class", split = ",", paramLabel = "CLASS", description = "Class names or indices (default: all classes).")
    List<String> classes;

    @Option(names = "--channel", paramLabel = "LAYER:C", description = "Maximise the mean of channel C of a layer.")
    String channel;

    @Option(names = "--neuron", paramLabel = "LAYER:I", description = "Maximise unit I (flat index) of a layer.")
    String neuron;

    @Option(names = "--data", paramLabel = "SPEC", description = "Start from the mean image of this data set.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--starts", paramLabel = "N", defaultValue = "3", description = "Random starts per target, at most 100 (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(names = "--steps", paramLabel = "N", description = "Gradient-ascent steps, at most 10000 (default: 128).")
    Integer steps;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: 0.05; 0.01 with --param fourier).")
    Double lr;

    @Option(names = "--param", paramLabel = "PARAM", completionCandidates = Choices.Parameterizations.class,
            description = "Image parameterisation: ${COMPLETION-CANDIDATES} (default: pixels).")
    Parameterization param;

    @Option(names = "--decay", paramLabel = "EXPONENT", description = "Fourier: exponent of the 1/f spectrum scaling (default: 1).")
    Double decay;

    @Option(names = "--start", paramLabel = "GREY", description = "Grey level the images start from without --data (default: 0.05).")
    Double start;

    @Option(names = "--l2", paramLabel = "WEIGHT", description = "Weight of the L2 penalty (default: 0.005).")
    Double l2;

    @Option(names = "--tv", paramLabel = "WEIGHT", description = "Weight of the total-variation penalty (default: 0.05).")
    Double tv;

    @Option(names = "--jitter", paramLabel = "PX", description = "Random shift in pixels per step (default: 2).")
    Integer jitter;

    @Option(names = "--scale", paramLabel = "S", description = "Random scaling in [1-s, 1+s] per step (default: 0.15).")
    Double scale;

    @Option(names = "--rotate", paramLabel = "DEGREES", description = "Random rotation in degrees per step (default: 10).")
    Double rotate;

    @Option(names = "--blur-every", paramLabel = "K", description = "Blur the image every K steps, 0 never (default: 4).")
    Integer blurEvery;

    @Option(names = "--blur-sigma", paramLabel = "SIGMA", description = "Blur's Gaussian sigma in pixels (default: 0.5).")
    Double blurSigma;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        int given = (classes != null ? 1 : 0) + (channel != null ? 1 : 0) + (neuron != null ? 1 : 0);
        if (given > 1) {
            throw new UsageException("give one of --class, --channel and --neuron");
        }
        if (starts < 1 || starts > MAX_STARTS) {
            throw new UsageException("--starts must be in [1," + MAX_STARTS + "], got " + starts);
        }
        int batchSize = batch.size();
        ActivationMaximization.Config cfg = config();
        try (Classifier m = model.open(batchSize)) {
            List<String> labels = new ArrayList<>();
            Objective objective;
            int targets;
            if (channel != null || neuron != null) {
                String spec1 = channel != null ? channel : neuron;
                int colon = spec1.lastIndexOf(':');
                if (colon <= 0) {
                    throw new UsageException((channel != null ? "--channel" : "--neuron") + " must be LAYER:INDEX, got '" + spec1 + "'");
                }
                String layer = spec1.substring(0, colon);
                int index = parseIndex(spec1.substring(colon + 1), channel != null ? "--channel" : "--neuron");
                if (!m.layers().contains(layer)) {
                    throw new UsageException("unknown layer '" + layer + "' (layers: " + String.join(", ", m.layers()) + ")");
                }
                objective = channel != null ? Objective.channelMean(layer, index) : Objective.neuron(layer, index);
                labels.add(objective.describe());
                targets = 1;
                Objective probe = objective;
                try {
                    probe.evaluate(m.activations(Tensor.zeros(m.inputShape().withBatch(1)), layer));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            } else {
                List<Integer> ids = new ArrayList<>();
                if (classes == null) {
                    for (int k = 0; k < m.classes(); k++) {
                        ids.add(k);
                    }
                } else {
                    for (String c : classes) {
                        ids.add(classIndex(c, m.classNames()));
                    }
                }
                int[] per = new int[ids.size() * starts];
                for (int i = 0; i < per.length; i++) {
                    per[i] = ids.get(i / starts);
                }
                ids.forEach(k -> labels.add(m.classNames().get(k)));
                objective = Objective.logit(per);
                targets = ids.size();
            }
            out.open();
            Dataset d = null;
            Tensor base = null;
            if (data != null) {
                d = dataOptions.load(data, m);
                base = mean(d);
            }
            int n = targets * starts;
            o.printf(Locale.ROOT, "activation maximisation of %s on %s (%s): %d target%s x %d start%s, %d steps, %s%n",
                    targets == 1 && (channel != null || neuron != null) ? labels.get(0) : "class logits", model.file().getFileName(), m.backend(),
                    targets, targets == 1 ? "" : "s", starts, starts == 1 ? "" : "s", cfg.steps(), cfg.parameterization().name().toLowerCase(Locale.ROOT));
            o.flush();
            ActivationMaximization.Result r;
            ActivationMaximization am = new ActivationMaximization(cfg);
            try (Progress bar = Progress.start("visualize", cfg.steps(), "steps", verbosity.quiet)) {
                ActivationMaximization.Listener l = (s, total) -> bar.step(1, null);
                r = base == null ? am.run(m, objective, n, l) : am.run(m, objective, n, base, l);
            }
            write(m, r, labels, targets, d);
        }
        return Cli.OK;
    }

    /** A target's line: its objective at the start and at the end of the best start, and what the image is classified as. */
    private static final Table OBJECTIVES = Table.of(Table.left("target", 14), Table.right("start", 8), Table.right("end", 8), Table.left("predicted"));

    private void write(Classifier m, ActivationMaximization.Result r, List<String> labels, int targets, Dataset d) throws java.io.IOException {
        PrintWriter o = spec.commandLine().getOut();
        int n = r.values().length;
        int k = m.classes();
        float[] probs = Softmax.apply(m.logits(r.images()).data(), n, k);
        int[] pred = m.predict(r.images());
        ObjectNode root = ExplainReports.summary("explain visualize", seed.seed, model.file(), m, d);
        root.put("objective", channel != null ? "channel" : neuron != null ? "neuron" : "logit");
        root.put("start_image", d == null ? "grey" : "mean image of " + d.source());
        ObjectNode opts = root.putObject("options");
        ActivationMaximization.Config c = config();
        opts.put("steps", c.steps()).put("lr", c.learningRate()).put("param", c.parameterization().name().toLowerCase(Locale.ROOT))
                .put("decay", c.decay()).put("start", c.start()).put("l2", c.l2()).put("tv", c.tv()).put("jitter", c.jitter())
                .put("scale", c.scale()).put("rotate", c.rotate()).put("blur_every", c.blurEvery()).put("blur_sigma", c.blurSigma())
                .put("starts", starts);
        ArrayNode items = root.putArray("images");
        o.println(OBJECTIVES.header());
        List<List<Tensor>> all = new ArrayList<>();
        List<List<String>> allCaps = new ArrayList<>();
        List<Tensor> best = new ArrayList<>();
        List<String> bestCaps = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            List<Tensor> row = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            int b = t * starts;
            for (int s = 0; s < starts; s++) {
                int i = t * starts + s;
                if (r.values()[i] > r.values()[b]) {
                    b = i;
                }
                ObjectNode it = items.addObject();
                it.put("index", i).put("target", labels.get(t)).put("start", s).put("initial", r.initial()[i]).put("value", r.values()[i])
                        .put("predicted", m.classNames().get(pred[i])).put("probability", probs[i * k + pred[i]]);
                row.add(ExplainReports.sample(r.images(), i));
                caps.add(caption(labels.get(t), r.values()[i], m.classNames().get(pred[i]), probs[i * k + pred[i]]));
            }
            all.add(row);
            allCaps.add(caps);
            best.add(ExplainReports.sample(r.images(), b));
            bestCaps.add(caption(labels.get(t), r.values()[b], m.classNames().get(pred[b]), probs[b * k + pred[b]]));
            o.println(OBJECTIVES.line(labels.get(t), String.format(Locale.ROOT, "%.2f", r.initial()[b]), String.format(Locale.ROOT, "%.2f", r.values()[b]),
                    String.format(Locale.ROOT, "%s (%.0f%%)", m.classNames().get(pred[b]), 100 * probs[b * k + pred[b]])));
        }
        Npy.write(out.resolve("images.npy"), r.images());
        Charts.panels(out.resolve("objective.png"), objectiveTitle(model.file().getFileName().toString(), r.history().length, starts),
                objectivePanels(r.history(), labels, starts), Math.min(OBJECTIVE_PER_ROW, targets), targets == 1 ? 640 : 300, targets == 1 ? 420 : 230);
        Pictures.grid(out.resolve("grid.png"), ExplainReports.rows(best, 5), ExplainReports.rows(bestCaps, 5), 5);
        Pictures.grid(out.resolve("starts.png"), all, allCaps, 5);
        ExplainReports.write(out.resolve("visualize.json"), root);
        out.commit();
        o.println("wrote " + out.dir() + " (visualize.json, images.npy, grid.png, starts.png, objective.png)");
        o.flush();
    }

    /** Panels to a row in {@code objective.png}. */
    static final int OBJECTIVE_PER_ROW = 5;

    /** The steps the objective chart's moving mean spans: about a twentieth of the run, odd, at least 1. */
    static int smoothingWindow(int steps) {
        int w = Math.max(1, steps / 20);
        return w % 2 == 0 ? w + 1 : w;
    }

    static String objectiveTitle(String model, int steps, int starts) {
        return String.format(Locale.ROOT, "Activation maximisation on %s: the objective per target against the step%n"
                        + "pale: %s as optimised (noisy: every step jitters, scales and rotates the image); line: %s, moving mean over %d steps",
                model, starts == 1 ? "the start" : "each of the " + starts + " starts", starts == 1 ? "its" : "their mean", smoothingWindow(steps));
    }

    /**
     * Small multiples of the objective: one panel per target (titled with it, its own y axis), each start's
     * objective at every step as a pale line and their mean over starts smoothed ({@link Charts#movingMean} over
     * {@link #smoothingWindow} steps) as a solid one. {@code history[step][target * starts + start]}.
     */
    static List<Charts.Panel> objectivePanels(double[][] history, List<String> labels, int starts) {
        int steps = history.length;
        double[] x = new double[steps];
        for (int s = 0; s < steps; s++) {
            x[s] = s + 1;
        }
        List<Charts.Panel> panels = new ArrayList<>();
        for (int t = 0; t < labels.size(); t++) {
            java.awt.Color colour = Charts.colour(0);
            List<Charts.Series> series = new ArrayList<>();
            double[] mean = new double[steps];
            for (int j = 0; j < starts; j++) {
                double[] y = new double[steps];
                for (int s = 0; s < steps; s++) {
                    y[s] = history[s][t * starts + j];
                    mean[s] += y[s] / starts;
                }
                series.add(new Charts.Series("start " + (j + 1), x, y, Charts.Style.FAINT, colour));
            }
            series.add(new Charts.Series(starts == 1 ? "smoothed" : "mean, smoothed", x, Charts.movingMean(mean, smoothingWindow(steps)), Charts.Style.LINE, colour));
            panels.add(new Charts.Panel(labels.get(t), "step", "objective", Double.NaN, Double.NaN, series, false));
        }
        return panels;
    }

    private static String caption(String target, double value, String pred, double p) {
        return String.format(Locale.ROOT, "%s: %.1f%n-> %s %.0f%%", target, value, pred, 100 * p);
    }

    private ActivationMaximization.Config config() {
        ActivationMaximization.Config d = ActivationMaximization.Config.defaults();
        Parameterization p = param != null ? param : d.parameterization();
        return new ActivationMaximization.Config(steps != null ? steps : d.steps(),
                lr != null ? lr : ActivationMaximization.Config.defaultLearningRate(p), p, decay != null ? decay : d.decay(),
                start != null ? start : d.start(),
                l2 != null ? l2 : d.l2(), tv != null ? tv : d.tv(), jitter != null ? jitter : d.jitter(), scale != null ? scale : d.scale(),
                rotate != null ? rotate : d.rotate(), blurEvery != null ? blurEvery : d.blurEvery(),
                blurSigma != null ? blurSigma : d.blurSigma(), seed.seed);
    }

    static Tensor mean(Dataset d) {
        int per = d.images().shape().sizeFrom(1);
        float[] m = new float[per];
        float[] x = d.images().data();
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < per; j++) {
                m[j] += x[i * per + j];
            }
        }
        for (int j = 0; j < per; j++) {
            m[j] /= d.size();
        }
        return new Tensor(d.sampleShape(), m);
    }

    static int parseIndex(String s, String option) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 0) {
                throw new UsageException(option + ": expected a non-negative index, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": expected an integer index, got '" + s + "'");
        }
    }

    static int classIndex(String c, List<String> names) {
        for (int k = 0; k < names.size(); k++) {
            if (names.get(k).equalsIgnoreCase(c)) {
                return k;
            }
        }
        try {
            int k = Integer.parseInt(c.trim());
            if (k >= 0 && k < names.size()) {
                return k;
            }
        } catch (NumberFormatException ignored) {
            // not an index: reported below with the valid names
        }
        throw new UsageException("unknown class '" + c + "' (classes: " + String.join(", ", names) + ", or 0-" + (names.size() - 1) + ")");
    }
}
