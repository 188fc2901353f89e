package dev.fovea.audit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.attacks.certify.RandomizedSmoothing;
import dev.fovea.audit.run.CertifyRun;
import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of a {@link CertifyRun}: {@code certify.json} (the smoothing options, the base classifier's clean
 * accuracy, the abstention rate, certified accuracy at the plan's radii and on the curve, with an attack its
 * robust accuracy on the base classifier and the smoothed classifier's accuracy on its examples, provenance),
 * {@code certify.csv} (one row per image: label, base prediction, the certificate; the classes by index and by name), and the chart
 * {@code certified_accuracy.png}: certified accuracy against the L2 radius, with the attack's two series as points
 * at the plan's radii, each labelled with the classifier it measures.
 *
 * @param modelName the model's file name, for chart titles
 */
public record CertifySection(CertifyRun.Result result, String modelName) implements Section {
    /** The CSV's header: the classes by index, then the same classes by the model's names. */
    public static final String CSV_HEADER = "index,label,base_prediction,prediction,abstained,selected,selection_count,count_a,n,pa_lower,radius,"
            + "certified_correct,label_name,base_prediction_name,prediction_name";

    @Override
    public String name() {
        return "certify";
    }

    @Override
    public double seconds() {
        return result.seconds();
    }

    /** The attack at one radius, as {@code certify.json} gives it. */
    public record EmpiricalJson(double radius, double baseRobustAccuracy, double smoothedAccuracy, double smoothedAbstention) {
    }

    /** The attack's entry: what it is and on which classifier each number is measured. */
    public record AttackJson(String method, String norm, int steps, int restarts, long seed, String attacked, String smoothedOn,
                             List<EmpiricalJson> results) {
    }

    /** The whole of {@code certify.json}. */
    public record CertifyJson(String method, double sigma, int n0, int n, double alpha, long seed, int samples, double baseAccuracy,
                              double abstention, double largestRadius, List<CertifyRun.Point> certifiedAccuracy, double[] curveRadii,
                              double[] curveAccuracy, @JsonInclude(JsonInclude.Include.NON_NULL) AttackJson attack, String csv, String plot,
                              Provenance provenance) {
    }

    @Override
    public CertifyJson json(Provenance p) {
        var s = result.plan().smoothing();
        return new CertifyJson("randomized-smoothing (Cohen et al. 2019)", s.sigma(), s.n0(), s.n(), s.alpha(), s.seed(), result.size(),
                result.baseAccuracy(), result.abstention(), s.largestRadius(), result.atRadii(), result.curveRadii(), result.curveAccuracy(),
                attackJson(), "certify.csv", "certified_accuracy.png", p);
    }

    private AttackJson attackJson() {
        if (result.attack() == null) {
            return null;
        }
        var plan = result.plan().attack();
        var c = plan.reported();
        List<EmpiricalJson> rows = new ArrayList<>();
        for (CertifyRun.Empirical e : result.empirical()) {
            rows.add(new EmpiricalJson(e.radius(), e.baseRobustAccuracy(), e.smoothedAccuracy(), e.smoothedAbstention()));
        }
        return new AttackJson(plan.attack().name(), "l2", c.steps(), c.restarts(), plan.seed(), "the base classifier",
                "the smoothed classifier's PREDICT on the base classifier's adversarial examples (a transfer attack)", rows);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        byte[] csv = csv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("certify.csv"), os -> os.write(csv));
        chart(dir.resolve("certified_accuracy.png"));
        return List.of("certify.csv", "certified_accuracy.png");
    }

    /**
     * One row per image ({@link #CSV_HEADER}); {@code prediction} is -1 for an abstention ({@code prediction_name}
     * empty), {@code certified_correct} at radius 0.
     */
    public String csv() {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        int[] y = result.labels();
        List<String> names = result.classNames();
        for (int i = 0; i < y.length; i++) {
            RandomizedSmoothing.Certificate c = result.certificates().get(i);
            int base = result.basePrediction()[i];
            b.append(String.format(Locale.ROOT, "%d,%d,%d,%d,%b,%d,%d,%d,%d,%.9f,%.6f,%b,%s,%s,%s%n", i, y[i], base, c.label(),
                    c.abstained(), c.selected(), c.selectionCount(), c.countA(), c.draws(), c.pALower(), c.radius(), c.certifies(y[i], 0),
                    Format.csv(names.get(y[i])), Format.csv(names.get(base)), c.label() < 0 ? "" : Format.csv(names.get(c.label()))));
        }
        return b.toString();
    }

    private void chart(Path png) throws IOException {
        var s = result.plan().smoothing();
        List<String> names = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        names.add(String.format(Locale.ROOT, "certified (smoothed, sigma %s, n %d)", Format.eps(s.sigma()), s.n()));
        xs.add(result.curveRadii());
        ys.add(result.curveAccuracy());
        if (!result.empirical().isEmpty()) {
            String method = result.plan().attack().attack().name();
            double[] r = result.empirical().stream().mapToDouble(CertifyRun.Empirical::radius).toArray();
            names.add(method + "-l2 on the base classifier");
            xs.add(r);
            ys.add(result.empirical().stream().mapToDouble(CertifyRun.Empirical::baseRobustAccuracy).toArray());
            names.add("smoothed, on the base's " + method + " examples");
            xs.add(r);
            ys.add(result.empirical().stream().mapToDouble(CertifyRun.Empirical::smoothedAccuracy).toArray());
        }
        String title = String.format(Locale.ROOT, "certified accuracy, sigma %s, n %d, on %s", Format.eps(s.sigma()), s.n(), modelName);
        Pictures.lineChart(png, title, "L2 radius (pixel units)", "accuracy", names, xs, ys, 0, 1);
    }
}
