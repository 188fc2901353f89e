package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.AttackResult;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
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
import java.util.concurrent.Callable;

/**
 * {@code fovea attack}: robust accuracy of a model under an attack for a list of budgets, with per-sample results,
 * the adversarial images as {@code .npy}, the robustness curve and image grids.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Attack a model at several budgets: robust accuracy, per-sample results, adversarial images, curve and grids.",
                "Budgets are in pixel units of [0,1] images. 'fovea attack --list' describes the methods."})
public final class AttackCommand implements Callable<Integer> {
    @Option(names = "--list", description = "Describe every attack and exit.")
    boolean list;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "Model file (.fovea or TorchScript).")
    Path model;

    @Mixin
    ModelFlags modelFlags;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to attack (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--method", defaultValue = "pgd", description = "Attack (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--norm", paramLabel = "linf|l2|l0", description = "Norm of the budget (default: the method's; l0: the fraction of pixels changed).")
    String norm;

    @Option(names = "--eps", split = ",", defaultValue = "0,0.02,0.05,0.1,0.2", paramLabel = "LIST",
            description = "Budgets (default: ${DEFAULT-VALUE}).")
    List<Double> eps;

    @Option(names = "--steps", description = "Iterations (default: the method's).")
    Integer steps;

    @Option(names = "--step-size", description = "Step size in the norm (default: the method's, relative to eps).")
    Double stepSize;

    @Option(names = "--restarts", description = "Random restarts; each sample keeps its worst case (default: 1).")
    Integer restarts;

    @Option(names = "--random-start", description = "Start from a random point of the ball.")
    Boolean randomStart;

    @Option(names = "--targeted", paramLabel = "random|least-likely|CLASS", description = "Aim for a class instead of any wrong one.")
    String targeted;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "128", description = "Samples per forward/backward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--diagnostics", description = "Also run the gradient-masking checks at these budgets (PGD-20 against FGSM/FGM and Square; pass/warn with evidence) and add them to attack.json.")
    boolean diagnostics;

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
            int width = Attacks.all().stream().mapToInt(a -> a.name().length()).max().orElse(0);
            for (Attack a : Attacks.all()) {
                o.printf(Locale.ROOT, "%-" + width + "s  %s%n", a.name(), a.describe());
            }
            o.flush();
            return Cli.OK;
        }
        if (model == null || data == null || out == null) {
            throw new UsageException("--model, --data and --out are required (or --list)");
        }
        Attack attack;
        Norm n;
        try {
            attack = Attacks.named(method);
            n = norm == null ? attack.defaultNorm() : Norm.parse(norm);
            attack.requireNorm(n);
        } catch (InvalidOptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<Double> budgets = new ArrayList<>(eps);
        for (double e : budgets) {
            if (!(e >= 0 && e <= (n == Norm.L2 ? 28 : 1)) || Double.isNaN(e)) {
                throw new UsageException("--eps values must be in [0,1] for linf and l0 (pixel units; l0: fraction of pixels), got " + e);
            }
        }
        budgets.sort(Double::compare);
        if (diagnostics) {
            DiagnosticsReport.check(budgets);
        }
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        try (Classifier m = modelFlags.open(model, batchSize)) {
            Target target;
            AttackConfig probe;
            try {
                target = Target.parse(targeted, m.classNames());
                probe = config(attack, n, budgets.get(budgets.size() - 1), target);
                target.resolve(m, dev.fovea.tensor.Tensor.zeros(m.inputShape().withBatch(1)), new int[] {0}, seed);
            } catch (InvalidOptionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Dataset d = dataOptions.load(data, m.inputShape());
            if (d.classNames().size() != m.classes()) {
                throw new java.io.IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
            }
            Files.createDirectories(out);
            Tensor x = d.images();
            int[] y = d.labels();
            Tensor cleanLogits = m.logits(x);
            int k = m.classes();
            float[] cleanP = Softmax.apply(cleanLogits.data(), y.length, k);
            int[] cleanPred = cleanLogits.argmaxRows();
            double cleanAcc = accuracy(cleanPred, y);
            o.printf(Locale.ROOT, "%s %s on %s (%d images, %s): clean accuracy %.2f%%%n", attack.name(), n.name().toLowerCase(Locale.ROOT),
                    d.source(), y.length, m.backend(), 100 * cleanAcc);
            o.printf(Locale.ROOT, "%8s %10s %9s %10s %10s%n", "eps", "robust", "success", "median L2", "max Linf");
            o.flush();
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("method", attack.name());
            root.put("norm", n.name().toLowerCase(Locale.ROOT));
            root.put("targeted", targeted == null ? "no" : targeted);
            root.put("steps", probe.steps());
            root.put("restarts", probe.restarts());
            root.put("random_start", probe.randomStart());
            root.put("seed", seed);
            root.put("n", y.length);
            root.put("clean_accuracy", cleanAcc);
            root.put("model", model.toString());
            root.put("model_sha256", Digests.sha256(model));
            root.put("backend", m.backend());
            root.put("data", d.source());
            root.put("data_sha256", Digests.sha256(d));
            root.put("fovea_version", Version.VERSION);
            ArrayNode results = root.putArray("results");
            StringBuilder csv = new StringBuilder("eps,index,label,clean_pred,clean_conf,adv_pred,adv_conf,target,success,l0,l2,linf,queries,minimal_eps\n");
            double[] curveX = new double[budgets.size()];
            double[] curveY = new double[budgets.size()];
            AttackResult forGrid = null;
            double gridEps = 0;
            List<AttackResult> searched = minimumNormSearch(attack, m, x, y, n, budgets, target);
            try (Progress bar = Progress.start("attack", budgets.size(), "eps", verbosity.quiet)) {
                for (int b = 0; b < budgets.size(); b++) {
                    double e = budgets.get(b);
                    AttackResult r = searched != null ? searched.get(b) : attack.run(m, x, y, config(attack, n, e, target));
                    float[] advP = Softmax.apply(m.logits(r.adversarial()).data(), y.length, k);
                    double robust = r.robustAccuracy(y);
                    curveX[b] = e;
                    curveY[b] = robust;
                    String file = String.format(Locale.ROOT, "adversarial_eps%s.npy", fmt(e));
                    Npy.write(out.resolve(file), r.adversarial());
                    ObjectNode res = results.addObject();
                    res.put("eps", e);
                    res.put("robust_accuracy", robust);
                    res.put("success_rate", r.successRate());
                    res.set("l2", stats(mapper, r.l2()));
                    res.set("linf", stats(mapper, r.linf()));
                    res.set("l0", stats(mapper, r.l0()));
                    res.put("mean_queries", Arrays.stream(r.queries()).average().orElse(0));
                    res.put("adversarial", file);
                    if (r.hasFooledBy()) {
                        ObjectNode by = res.putObject("fooled_by");
                        r.fooledByCounts().forEach((c, count) -> by.put(c, (int) count));
                    }
                    if (r.hasMinimalNorm()) {
                        res.put("robust_accuracy_from_minimal_norm", r.robustAccuracyFromMinimalNorm(y, e));
                    }
                    for (int i = 0; i < y.length; i++) {
                        csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f,%d,%.6f,%d,%b,%.0f,%.6f,%.6f,%d,%s%n", fmt(e), i, y[i], cleanPred[i],
                                cleanP[i * k + cleanPred[i]], r.adversarialPrediction()[i], advP[i * k + r.adversarialPrediction()[i]],
                                r.target()[i], r.success()[i], r.l0()[i], r.l2()[i], r.linf()[i], r.queries()[i], minimalCell(r.minimalNorm()[i])));
                    }
                    o.printf(Locale.ROOT, "%8s %9.2f%% %8.2f%% %10.4f %10.4f%n", fmt(e), 100 * robust, 100 * r.successRate(), median(r.l2()),
                            Arrays.stream(r.linf()).max().orElse(0));
                    o.flush();
                    bar.step(1, "eps " + fmt(e));
                    if (e > 0 && forGrid == null || e > 0 && e <= 0.1) {
                        forGrid = r;
                        gridEps = e;
                    }
                }
            }
            if (diagnostics) {
                root.set("diagnostics", DiagnosticsReport.run(m, x, y, n, budgets, seed, o, mapper, verbosity.quiet));
            }
            if (searched != null && searched.get(0).hasMinimalNorm()) {
                minimalReport(o, mapper, root, searched.get(0), n, out.resolve("minimal_perturbation.png"));
            }
            byte[] json = mapper.writeValueAsBytes(root);
            AtomicFiles.write(out.resolve("attack.json"), os -> os.write(json));
            byte[] csvBytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AtomicFiles.write(out.resolve("samples.csv"), os -> os.write(csvBytes));
            Pictures.lineChart(out.resolve("robustness.png"), attack.name() + " (" + n.name().toLowerCase(Locale.ROOT) + ") on " + model.getFileName(),
                    "eps", "robust accuracy", List.of(attack.name()), List.of(curveX), List.of(curveY));
            if (forGrid != null) {
                grid(out.resolve(String.format(Locale.ROOT, "grid_eps%s.png", fmt(gridEps))), x, forGrid, m, cleanP, gridEps);
            }
            o.println("wrote " + out + " (attack.json, samples.csv, robustness.png, adversarial_eps*.npy, grid)");
        }
        return Cli.OK;
    }

    /**
     * A minimum-norm attack searches once for all budgets, 16 samples at a time behind a progress bar (all at once
     * with {@code --targeted random}, whose draws follow the sample order); {@code null} for fixed-budget attacks.
     */
    private List<AttackResult> minimumNormSearch(Attack a, Classifier m, Tensor x, int[] y, Norm n, List<Double> budgets, Target t) {
        if (!a.minimumNorm()) {
            return null;
        }
        double[] b = budgets.stream().mapToDouble(Double::doubleValue).toArray();
        AttackConfig c = config(a, n, b[b.length - 1], t);
        int chunk = t instanceof Target.RandomClass ? Math.max(1, y.length) : 16;
        List<List<AttackResult>> parts = new ArrayList<>();
        try (Progress bar = Progress.start(a.name() + " search", y.length, "img", verbosity.quiet)) {
            for (int from = 0; from < y.length; from += chunk) {
                int to = Math.min(y.length, from + chunk);
                parts.add(a.runAtBudgets(m, x.slice(from, to), Arrays.copyOfRange(y, from, to), c, b));
                bar.step(to - from, null);
            }
        }
        List<AttackResult> all = new ArrayList<>();
        for (int k = 0; k < b.length; k++) {
            List<AttackResult> atK = new ArrayList<>();
            for (List<AttackResult> p : parts) {
                atK.add(p.get(k));
            }
            all.add(AttackResult.concat(atK));
        }
        return all;
    }

    private static String minimalCell(double v) {
        return Double.isNaN(v) ? "" : Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6f", v);
    }

    /**
     * The minimal perturbations of a minimum-norm attack: in attack.json the fraction found and their percentiles
     * over all samples (a sample not fooled counts as infinite, written null; one misclassified already as 0), on
     * stdout one line, and their cumulative distribution as PNG (the attack's success rate at each budget).
     */
    private void minimalReport(PrintWriter o, ObjectMapper mapper, ObjectNode root, AttackResult r, Norm n, Path png) throws java.io.IOException {
        double[] s = r.minimalNorm().clone();
        Arrays.sort(s);
        int found = (int) Arrays.stream(s).filter(Double::isFinite).count();
        ObjectNode mp = root.putObject("minimal_perturbation");
        mp.put("norm", n.name().toLowerCase(Locale.ROOT));
        mp.put("n", s.length);
        mp.put("success_rate", s.length == 0 ? 0 : (double) found / s.length);
        for (int p : new int[] {10, 25, 50, 75, 90}) {
            double v = s.length == 0 ? Double.NaN : s[Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1)]; // nearest rank
            if (Double.isFinite(v)) {
                mp.put("p" + p, v);
            } else {
                mp.putNull("p" + p);
            }
        }
        if (found > 0) {
            mp.put("median_of_found", percentile(Arrays.copyOf(s, found), 50));
        }
        mp.put("plot", png.getFileName().toString());
        o.printf(Locale.ROOT, "minimal %s perturbation: found for %d of %d, median %s (p10 %s, p90 %s)%n", n.name().toLowerCase(Locale.ROOT), found, s.length,
                mp.get("p50").isNull() ? "inf" : fmt4(mp.get("p50").asDouble()), mp.get("p10").isNull() ? "inf" : fmt4(mp.get("p10").asDouble()),
                mp.get("p90").isNull() ? "inf" : fmt4(mp.get("p90").asDouble()));
        // The empirical distribution function on 101 budgets from 0 to a round number above the largest minimal perturbation found.
        double top = found == 0 ? 1 : roundUp(Math.max(s[found - 1], 1e-6));
        double[] cx = new double[101];
        double[] cy = new double[101];
        for (int g = 0, i = 0; g <= 100; g++) {
            cx[g] = top * g / 100;
            while (i < found && s[i] <= cx[g] * (1 + 1e-12)) {
                i++;
            }
            cy[g] = 100.0 * i / Math.max(1, s.length);
        }
        Pictures.lineChart(png, "minimal " + n.name().toLowerCase(Locale.ROOT) + " perturbation, " + root.get("method").asText() + " on " + model.getFileName(),
                "eps (" + n.name().toLowerCase(Locale.ROOT) + ")", "% of samples fooled within eps", List.of(root.get("method").asText()), List.of(cx), List.of(cy));
    }

    /** The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten that is at least {@code v > 0}. */
    private static double roundUp(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private AttackConfig config(Attack a, Norm n, double e, Target t) {
        AttackConfig d = a.defaults(n, e);
        double step = stepSize != null ? stepSize : d.stepSize();
        return new AttackConfig(n, e, steps != null ? steps : d.steps(), step, restarts != null ? restarts : d.restarts(),
                randomStart != null ? randomStart : d.randomStart(), t, seed);
    }

    private void grid(Path file, Tensor x, AttackResult r, Classifier m, float[] cleanP, double e) throws java.io.IOException {
        int k = m.classes();
        float[] advP = Softmax.apply(m.logits(r.adversarial()).data(), r.size(), k);
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        int per = x.shape().sizeFrom(1);
        for (int i = 0; i < Math.min(8, r.size()); i++) {
            Tensor a = new Tensor(m.inputShape(), Arrays.copyOfRange(x.data(), i * per, (i + 1) * per));
            Tensor b = new Tensor(m.inputShape(), Arrays.copyOfRange(r.adversarial().data(), i * per, (i + 1) * per));
            float[] delta = new float[per];
            double max = 1e-12;
            for (int j = 0; j < per; j++) {
                delta[j] = b.data()[j] - a.data()[j];
                max = Math.max(max, Math.abs(delta[j]));
            }
            for (int j = 0; j < per; j++) {
                delta[j] = (float) (0.5 + 0.5 * delta[j] / max);
            }
            int cp = r.cleanPrediction()[i];
            int ap = r.adversarialPrediction()[i];
            rows.add(List.of(a, new Tensor(m.inputShape(), delta), b));
            caps.add(List.of(String.format(Locale.ROOT, "%s\n%.0f%%", m.classNames().get(cp), 100 * cleanP[i * k + cp]),
                    String.format(Locale.ROOT, "perturbation x%.0f\nLinf %.3f", 0.5 / max, r.linf()[i]),
                    String.format(Locale.ROOT, "%s%s\n%.0f%%", m.classNames().get(ap), r.success()[i] ? " (fooled)" : "", 100 * advP[i * k + ap])));
        }
        Pictures.grid(file, rows, caps, 4);
    }

    private static ObjectNode stats(ObjectMapper m, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        ObjectNode o = m.createObjectNode();
        o.put("mean", Arrays.stream(s).average().orElse(0));
        o.put("median", percentile(s, 50));
        o.put("p10", percentile(s, 10));
        o.put("p90", percentile(s, 90));
        o.put("max", s.length == 0 ? 0 : s[s.length - 1]);
        return o;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return percentile(s, 50);
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double accuracy(int[] pred, int[] y) {
        int c = 0;
        for (int i = 0; i < y.length; i++) {
            if (pred[i] == y[i]) {
                c++;
            }
        }
        return (double) c / y.length;
    }

    private static String fmt(double e) {
        String s = String.format(Locale.ROOT, "%.4f", e).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
