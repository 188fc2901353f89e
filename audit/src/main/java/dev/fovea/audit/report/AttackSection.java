package dev.fovea.audit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.attacks.AttackResult;
import dev.fovea.audit.Stats;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.data.Npy;
import dev.fovea.io.AtomicFiles;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an {@link AttackRun}: {@code attack.json} (clean and robust accuracy, success rate, perturbation
 * statistics and queries per budget, the ensemble's {@code fooled_by}, the minimal perturbations of a
 * minimum-norm attack, the gradient-masking diagnostics when run, the step size, the samples asked for, the command
 * line, provenance), {@code samples.csv} (one row per budget and sample, the classes by index and by name),
 * {@code adversarial_eps*.npy} ({@code [N,C,H,W]} float32), the robustness curve {@code robustness.png} (robust
 * accuracy from 0 to 1 against eps, from the clean accuracy at eps 0, with the attacks the diagnostics ran beside the
 * run's own), an image grid per positive budget ({@code grid_eps*.png}: clean image with prediction and label, the
 * perturbation amplified with its norm, the adversarial image with its prediction), and for minimum-norm attacks the
 * cumulative distribution of the minimal perturbations ({@code minimal_perturbation.png}, the fraction of samples
 * fooled within each eps).
 *
 * @param modelName the model's file name, for chart titles
 * @param diagnostics the diagnostics run at the same budgets, or {@code null}
 */
public record AttackSection(AttackRun.Result result, String modelName, DiagnosticsRun.Result diagnostics) implements Section {
    /** Samples drawn in the grid. */
    public static final int GRID_ROWS = 8;

    /** The section of a run without diagnostics, its charts titled with {@code modelName}. */
    public AttackSection(AttackRun.Result result, String modelName) {
        this(result, modelName, null);
    }

    @Override
    public String name() {
        return "attack";
    }

    @Override
    public double seconds() {
        return result.seconds() + (diagnostics == null ? 0 : diagnostics.seconds());
    }

    private String norm() {
        return result.plan().norm().name().toLowerCase(Locale.ROOT);
    }

    /** One budget of {@code attack.json}; {@code stepSize} where the attack took steps of a size ({@link AttackRun#stepSize}). */
    public record BudgetJson(double eps, @JsonInclude(JsonInclude.Include.NON_NULL) Double stepSize, double robustAccuracy, double successRate,
                             Stats.Summary l2, Stats.Summary linf, Stats.Summary l0,
                             double meanQueries, String adversarial, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> fooledBy,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Double robustAccuracyFromMinimalNorm) {
    }

    /**
     * The minimal perturbations of a minimum-norm attack over all samples: the fraction found, nearest-rank
     * percentiles ({@code null} where infinite: a sample not fooled counts as infinite, one misclassified already
     * as 0), the median of those found, and the plot's file name.
     */
    public record Minimal(String norm, int n, double successRate, Double p10, Double p25, Double p50, Double p75, Double p90,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Double medianOfFound, String plot) {
    }

    /**
     * The whole of {@code attack.json}: the options as run (those of the largest budget, with its step size where the
     * attack has one), the samples asked for ({@code limit}, {@code perClass}: null when not given) and used
     * ({@code n}), and from the provenance the model, the data with their digests ({@link Provenance}), the command
     * line (null when the run was not started from one) and the versions.
     */
    public record AttackJson(String method, String norm, String targeted, int steps, @JsonInclude(JsonInclude.Include.NON_NULL) Double stepSize,
                             int restarts, boolean randomStart, long seed, int n, Integer limit, Integer perClass, double cleanAccuracy,
                             String model, String modelSha256, String backend, String data, String dataSha256, String labelsSha256,
                             String subsetSha256, String commandLine, String foveaVersion, String javaVersion, List<BudgetJson> results,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<DiagnosticsRun.CheckJson> diagnostics,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Minimal minimalPerturbation, Provenance provenance) {
    }

    /** The file of the adversarial images at {@code eps}, when its four-decimal name is unique among the run's budgets. */
    public static String adversarialFile(double eps) {
        return "adversarial_eps" + Format.eps(eps) + ".npy";
    }

    /** The file of the adversarial images at {@code eps} among {@code budgets}, named as {@link Format#eps(double, java.util.Collection)}. */
    public static String adversarialFile(double eps, List<Double> budgets) {
        return "adversarial_eps" + Format.eps(eps, budgets) + ".npy";
    }

    /** This run's name of budget {@code eps}. */
    private String eps(double eps) {
        return Format.eps(eps, result.plan().budgets());
    }

    /** The file of the adversarial images at {@code eps} of this run. */
    private String adversarial(double eps) {
        return adversarialFile(eps, result.plan().budgets());
    }

    public List<BudgetJson> budgets() {
        List<BudgetJson> out = new ArrayList<>();
        for (AttackRun.Budget b : result.budgets()) {
            AttackResult r = b.result();
            out.add(new BudgetJson(b.eps(), result.plan().stepSize(b.eps()), b.robustAccuracy(), r.successRate(), Stats.Summary.of(r.l2()),
                    Stats.Summary.of(r.linf()), Stats.Summary.of(r.l0()), Arrays.stream(r.queries()).average().orElse(0), adversarial(b.eps()),
                    r.hasFooledBy() ? r.fooledByCounts() : null,
                    r.hasMinimalNorm() ? r.robustAccuracyFromMinimalNorm(result.labels(), b.eps()) : null));
        }
        return out;
    }

    /** The minimal perturbations, or {@code null} for a fixed-budget attack. */
    public Minimal minimal() {
        if (!result.hasMinimalNorm()) {
            return null;
        }
        double[] s = Stats.sorted(result.budgets().get(0).result().minimalNorm());
        int found = (int) Arrays.stream(s).filter(Double::isFinite).count();
        Double[] p = new Double[5];
        int[] ranks = {10, 25, 50, 75, 90};
        for (int i = 0; i < ranks.length; i++) {
            double v = Stats.nearestRank(s, ranks[i]);
            p[i] = Double.isFinite(v) ? v : null;
        }
        return new Minimal(norm(), s.length, s.length == 0 ? 0 : (double) found / s.length, p[0], p[1], p[2], p[3], p[4],
                found > 0 ? Stats.percentile(Arrays.copyOf(s, found), 50) : null, "minimal_perturbation.png");
    }

    @Override
    public AttackJson json(Provenance p) {
        AttackRun plan = result.plan();
        var c = plan.reported();
        List<Double> eps = plan.budgets();
        return new AttackJson(plan.attack().name(), norm(), AttackRun.describe(plan.target(), result.classNames()), c.steps(),
                plan.stepSize(eps.get(eps.size() - 1)), c.restarts(), c.randomStart(), plan.seed(), result.size(), p.limit(), p.perClass(),
                result.cleanAccuracy(), p.model(), p.modelSha256(), p.backend(), p.data(), p.dataSha256(), p.labelsSha256(), p.subsetSha256(),
                p.commandLine(), p.foveaVersion(), p.javaVersion(), budgets(), diagnostics == null ? null : diagnostics.json(), minimal(), p);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        for (AttackRun.Budget b : result.budgets()) {
            Npy.write(dir.resolve(adversarial(b.eps())), b.result().adversarial());
            files.add(adversarial(b.eps()));
        }
        files.addAll(writeTablesAndPictures(dir));
        return files;
    }

    /** The file of the grid {@link #gridBudget} shows (one of {@link #gridFiles}), or {@code null} when no budget is positive. */
    public String gridFile() {
        AttackRun.Budget shown = gridBudget();
        return shown == null ? null : gridFile(shown.eps());
    }

    /** The file of the grid at budget {@code eps}, named as the run names its budgets. */
    public String gridFile(double eps) {
        return "grid_eps" + eps(eps) + ".png";
    }

    /** The grids' files, one per positive budget, in the run's order. */
    public List<String> gridFiles() {
        return result.budgets().stream().filter(b -> b.eps() > 0).map(b -> gridFile(b.eps())).toList();
    }

    /**
     * The files of {@link #writeFiles} but the adversarial arrays: {@code samples.csv}, the curve, the grid and the
     * minimal-perturbation plot; returns their names.
     */
    public List<String> writeTablesAndPictures(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        byte[] csv = samplesCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("samples.csv"), os -> os.write(csv));
        files.add("samples.csv");
        Charts.panels(dir.resolve("robustness.png"), List.of(robustnessPanel()), 720, 460);
        files.add("robustness.png");
        for (AttackRun.Budget b : result.budgets()) {
            if (b.eps() > 0) {
                String g = gridFile(b.eps());
                Pictures.grid(dir.resolve(g), grid(b));
                files.add(g);
            }
        }
        Minimal m = minimal();
        if (m != null) {
            Charts.panels(dir.resolve(m.plot()), List.of(minimalPanel()), 720, 460);
            files.add(m.plot());
        }
        return files;
    }

    /** The header of {@code samples.csv}: the columns by class index, then the same classes by the model's names. */
    public static final String SAMPLES_HEADER = "eps,index,label,clean_pred,clean_conf,adv_pred,adv_conf,target,success,l0,l2,linf,queries,"
            + "minimal_eps,label_name,clean_pred_name,adv_pred_name,target_name";

    /**
     * One row per budget and sample ({@link #SAMPLES_HEADER}): the classes by index ({@code target} -1 when
     * untargeted), then by the model's class names (quoted where a name holds a comma or a quote; {@code target_name}
     * empty when untargeted).
     */
    public String samplesCsv() {
        StringBuilder csv = new StringBuilder(SAMPLES_HEADER).append('\n');
        List<String> names = result.classNames();
        int k = result.classNames().size();
        int[] y = result.labels();
        int[] cp = result.cleanPrediction();
        float[] cleanP = result.cleanProbability();
        for (AttackRun.Budget b : result.budgets()) {
            AttackResult r = b.result();
            float[] advP = b.adversarialProbability();
            String e = eps(b.eps());
            for (int i = 0; i < y.length; i++) {
                int ap = r.adversarialPrediction()[i];
                int t = r.target()[i];
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.6f,%d,%.6f,%d,%b,%.0f,%.6f,%.6f,%d,%s,%s,%s,%s,%s%n", e, i, y[i], cp[i],
                        cleanP[i * k + cp[i]], ap, advP[i * k + ap], t, r.success()[i], r.l0()[i], r.l2()[i], r.linf()[i],
                        r.queries()[i], minimalCell(r.minimalNorm()[i]), Format.csv(names.get(y[i])), Format.csv(names.get(cp[i])),
                        Format.csv(names.get(ap)), t < 0 ? "" : Format.csv(names.get(t))));
            }
        }
        return csv.toString();
    }

    private static String minimalCell(double v) {
        return Double.isNaN(v) ? "" : Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** The budget the grid shows: the largest positive one up to 0.1, else the smallest positive one; null if none is positive. */
    public AttackRun.Budget gridBudget() {
        AttackRun.Budget shown = null;
        for (AttackRun.Budget b : result.budgets()) {
            double e = b.eps();
            if (e > 0 && shown == null || e > 0 && e <= 0.1) {
                shown = b;
            }
        }
        return shown;
    }

    /**
     * The robustness chart: robust accuracy (a fraction, on a 0 to 1 axis) against eps for this run's attack, from
     * the clean accuracy at eps 0 whether or not the budgets list it, and with diagnostics the attacks they ran
     * (dashed: the iterative and single-step attacks over the budgets, from the same clean point; the black box
     * as one point at the reference budget).
     */
    public Charts.Panel robustnessPanel() {
        String method = result.plan().attack().name();
        double[] x = result.budgets().stream().mapToDouble(AttackRun.Budget::eps).toArray();
        double[] y = result.budgets().stream().mapToDouble(AttackRun.Budget::robustAccuracy).toArray();
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series(method, x, y, Charts.Style.LINE).startingAt(result.cleanAccuracy()));
        if (diagnostics != null) {
            for (DiagnosticsRun.Curve c : diagnostics.curves()) {
                series.add(c.eps().length == 1 ? new Charts.Series(c.attack() + " (diagnostics)", c.eps(), c.accuracy(), Charts.Style.POINTS)
                        : new Charts.Series(c.attack() + " (diagnostics)", c.eps(), c.accuracy(), Charts.Style.DASHED).startingAt(result.cleanAccuracy()));
            }
        }
        String n = Format.norm(norm());
        return Charts.Panel.accuracy(method + " (" + n + ") on " + modelName + ", " + result.size() + " images", "eps (" + n + ", pixel units)",
                "robust accuracy", series);
    }

    /**
     * The grid at budget {@code b}: per sample (the first {@link #GRID_ROWS}) the clean image with the model's
     * prediction, confidence and the true label; the perturbation (adversarial minus clean) amplified so that its
     * largest pixel change reaches the end of the grey scale, with the factor and the perturbation's size in the
     * attack's norm; the adversarial image with its prediction, confidence and outcome (and the target of a
     * targeted attack).
     */
    public Pictures.Grid grid(AttackRun.Budget b) {
        AttackResult r = b.result();
        int k = result.classNames().size();
        List<String> names = result.classNames();
        Tensor x = result.images();
        var shape = x.shape().tail();
        float[] cleanP = result.cleanProbability();
        float[] advP = b.adversarialProbability();
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        int per = x.shape().sizeFrom(1);
        String n = Format.norm(norm());
        boolean targeted = result.plan().target().targeted();
        int shown = Math.min(GRID_ROWS, r.size());
        for (int i = 0; i < shown; i++) {
            Tensor a = new Tensor(shape, Arrays.copyOfRange(x.data(), i * per, (i + 1) * per));
            Tensor adv = new Tensor(shape, Arrays.copyOfRange(r.adversarial().data(), i * per, (i + 1) * per));
            float[] delta = new float[per];
            double max = 0;
            for (int j = 0; j < per; j++) {
                delta[j] = adv.data()[j] - a.data()[j];
                max = Math.max(max, Math.abs(delta[j]));
            }
            for (int j = 0; j < per; j++) {
                delta[j] = (float) (0.5 + 0.5 * delta[j] / Math.max(max, 1e-12));
            }
            int cp = r.cleanPrediction()[i];
            int ap = r.adversarialPrediction()[i];
            int label = result.labels()[i];
            // a sample the model gets wrong already is not fooled by the attack: its caption says so
            boolean wrong = cp != label;
            String outcome = targeted ? (r.success()[i] ? "reached" : "missed") + " target " + names.get(r.target()[i])
                    : !r.success()[i] ? "not fooled" : wrong ? "wrong already" : "fooled";
            rows.add(List.of(a, new Tensor(shape, delta), adv));
            caps.add(List.of(String.format(Locale.ROOT, "%s %.0f%%\nlabel %s%s", names.get(cp), 100 * cleanP[i * k + cp], names.get(label), wrong ? " (wrong)" : ""),
                    (max > 0 ? "amplified x" + factor(0.5 / max) : "no change") + "\n" + n + " " + size(r, i),
                    String.format(Locale.ROOT, "%s %.0f%%\n%s", names.get(ap), 100 * advP[i * k + ap], outcome)));
        }
        String title = String.format(Locale.ROOT, "%s (%s) at eps %s on %s: the first %d of %d images", result.plan().attack().name(), n, eps(b.eps()),
                modelName, shown, r.size());
        String note = "prediction and confidence under each image; perturbation = adversarial - clean, grey 0, lighter +, darker -, amplified per row";
        return new Pictures.Grid(title, note, List.of("clean", "perturbation (" + n + ")", "adversarial"), rows, caps, null, 4);
    }

    /** An amplification factor to three significant digits ({@code 5}, {@code 12.5}, {@code 208}). */
    private static String factor(double f) {
        String s = String.format(Locale.ROOT, "%.3g", f);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** Sample {@code i}'s perturbation in the run's norm: L-inf and L2 to three decimals, L0 as a count of values. */
    private String size(AttackResult r, int i) {
        return switch (result.plan().norm()) {
            case LINF -> String.format(Locale.ROOT, "%.3f", r.linf()[i]);
            case L2 -> String.format(Locale.ROOT, "%.3f", r.l2()[i]);
            default -> String.format(Locale.ROOT, "%.0f values", r.l0()[i]);
        };
    }

    /**
     * The minimal-perturbation chart: the empirical distribution function of the minimal perturbations (the fraction
     * of samples fooled within each eps, on a 0 to 1 axis) on 101 budgets from 0 to a round number above the largest
     * minimal perturbation found; {@code null} for a fixed-budget attack.
     */
    public Charts.Panel minimalPanel() {
        if (!result.hasMinimalNorm()) {
            return null;
        }
        double[] s = Stats.sorted(result.budgets().get(0).result().minimalNorm());
        int found = (int) Arrays.stream(s).filter(Double::isFinite).count();
        double top = found == 0 ? 1 : Format.roundUp(Math.max(s[found - 1], 1e-6));
        double[] cx = new double[101];
        double[] cy = new double[101];
        for (int g = 0, i = 0; g <= 100; g++) {
            cx[g] = top * g / 100;
            while (i < found && s[i] <= cx[g] * (1 + 1e-12)) {
                i++;
            }
            cy[g] = (double) i / Math.max(1, s.length);
        }
        String method = result.plan().attack().name();
        String n = Format.norm(norm());
        return Charts.Panel.accuracy("minimal " + n + " perturbation, " + method + " on " + modelName + ", " + s.length + " images",
                "eps (" + n + ", pixel units)", "fraction of samples fooled within eps", List.of(new Charts.Series(method, cx, cy, false)));
    }
}
