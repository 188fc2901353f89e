package dev.fovea.audit.run;

import dev.fovea.attacks.Norm;
import dev.fovea.attacks.certify.RandomizedSmoothing;
import dev.fovea.attacks.certify.SmoothingOptions;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.Stats;
import dev.fovea.audit.report.Format;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Randomized smoothing's certificates on a data set, as a plan: the smoothing options ({@link SmoothingOptions}:
 * sigma, n0, n, alpha, seed), the L2 radii at which certified accuracy is reported (sorted, each once), and
 * optionally an L2 attack ({@link AttackRun} at those radii, {@code null} for none) whose empirical robust accuracy
 * stands beside the certificate.
 *
 * <p>{@link #run} certifies every image with CERTIFY ({@link RandomizedSmoothing#certify(Tensor, int, long)},
 * image {@code i} drawing as index {@code i}) and reports, as Cohen et al. (2019) do, the certified accuracy at
 * radius {@code r}: the share of images whose certificate names the true class with a radius of at least {@code r}
 * (an abstention is never correct), at the plan's radii and on a curve of 101 radii from 0 to the largest radius
 * {@code n} draws can certify; and the abstention rate. With an attack: the attack on the <em>base</em>
 * classifier at each radius, its robust accuracy there, and the smoothed classifier's PREDICT on those adversarial
 * examples (accuracy and abstentions), a transfer attack on the smoothed classifier. Both are upper bounds on what
 * an attack could do, where the certified accuracy is a lower bound on the smoothed classifier's robust accuracy
 * (holding with probability {@code 1 - alpha} per image).
 *
 * <pre>{@code
 * CertifyRun.Result r = CertifyRun.of(SmoothingOptions.defaults(0.25), 0.25, 0.5, 1.0).run(model, data);
 * r.atRadii().forEach(p -> System.out.println(p.radius() + " " + p.certifiedAccuracy()));
 * }</pre>
 */
public record CertifyRun(SmoothingOptions smoothing, List<Double> radii, AttackRun attack) {
    /** Points on the certified-accuracy curve. */
    public static final int CURVE_POINTS = 101;
    /** The radii reported unless given: Cohen et al.'s table columns up to 1. */
    public static final List<Double> DEFAULT_RADII = List.of(0.0, 0.25, 0.5, 0.75, 1.0);

    public CertifyRun {
        if (smoothing == null) {
            throw new InvalidOptionException("sigma", "sigma is required");
        }
        if (radii == null || radii.isEmpty()) {
            throw new InvalidOptionException("radii", "radii: expected at least one radius");
        }
        List<Double> sorted = new ArrayList<>(radii);
        sorted.sort(Double::compare);
        for (int i = 0; i < sorted.size(); i++) {
            double r = sorted.get(i);
            if (!(r >= 0) || !Double.isFinite(r)) {
                throw new InvalidOptionException("radii", "radii must be finite and >= 0 (L2, pixel units), got " + r);
            }
            if (i > 0 && r == sorted.get(i - 1)) {
                throw new InvalidOptionException("radii", "radii: radius " + r + " is given twice; give each radius once");
            }
        }
        radii = List.copyOf(sorted);
        if (attack != null) {
            if (attack.norm() != Norm.L2) {
                throw new InvalidOptionException("attack", "attack: the certificate is an L2 radius, so the attack must work in l2, got "
                        + attack.attack().name() + " in " + attack.norm().name().toLowerCase(Locale.ROOT));
            }
            attack = attack.withBudgets(radii);
        }
    }

    /** Certificates at {@code smoothing}, reported at {@code radii}, without an attack. */
    public static CertifyRun of(SmoothingOptions smoothing, double... radii) {
        return new CertifyRun(smoothing, java.util.Arrays.stream(radii).boxed().toList(), null);
    }

    /** The plan with the attack named {@code method} in L2 at the radii (its defaults there, the smoothing's seed). */
    public CertifyRun withAttack(String method) {
        return withAttack(AttackRun.of(method, radii.stream().mapToDouble(Double::doubleValue).toArray()).withNorm(Norm.L2).withSeed(smoothing.seed()));
    }

    public CertifyRun withAttack(AttackRun a) {
        return new CertifyRun(smoothing, radii, a);
    }

    public CertifyRun withRadii(List<Double> r) {
        return new CertifyRun(smoothing, r, attack);
    }

    /** Every option of the plan by library name, for provenance. */
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", "randomized-smoothing");
        o.put("sigma", smoothing.sigma());
        o.put("n0", smoothing.n0());
        o.put("n", smoothing.n());
        o.put("alpha", smoothing.alpha());
        o.put("seed", smoothing.seed());
        o.put("radii", radii);
        o.put("attack", attack == null ? null : attack.options());
        return o;
    }

    /** Certified accuracy at one radius. */
    public record Point(double radius, double certifiedAccuracy) {
    }

    /**
     * The attack at one radius: the base classifier's robust accuracy under it, and the smoothed classifier's
     * accuracy and abstention rate on its adversarial examples (PREDICT).
     */
    public record Empirical(double radius, double baseRobustAccuracy, double smoothedAccuracy, double smoothedAbstention,
                            List<RandomizedSmoothing.Prediction> predictions) {
    }

    /**
     * A run's outcome: the plan, the classes, the labels, the base classifier's clean predictions and accuracy,
     * one certificate per image, the abstention rate, certified accuracy at the plan's radii and on the curve
     * ({@code curveRadii}, {@code curveAccuracy}), the attack's outcome per radius (empty without one) and its
     * run, and the wall time in seconds.
     */
    public record Result(CertifyRun plan, List<String> classNames, int[] labels, int[] basePrediction, double baseAccuracy,
                         List<RandomizedSmoothing.Certificate> certificates, double abstention, List<Point> atRadii, double[] curveRadii,
                         double[] curveAccuracy, List<Empirical> empirical, AttackRun.Result attack, double seconds) {
        public int size() {
            return labels.length;
        }

        /** Certified accuracy at radius {@code r}. */
        public double certifiedAccuracy(double r) {
            return CertifyRun.certifiedAccuracy(certificates, labels, r);
        }
    }

    /** The share of {@code certificates} that certify their label at radius {@code r} or more. */
    public static double certifiedAccuracy(List<RandomizedSmoothing.Certificate> certificates, int[] labels, double r) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (certificates.get(i).certifies(labels[i], r)) {
                c++;
            }
        }
        return labels.length == 0 ? 0 : (double) c / labels.length;
    }

    public Result run(Classifier model, Dataset data) {
        return run(model, data.images(), data.labels(), ProgressListener.NONE);
    }

    /** Runs the plan on images {@code x} ({@code [N,C,H,W]}, pixels in [0,1]) with labels {@code y}. */
    public Result run(Classifier model, Tensor x, int[] y, ProgressListener progress) {
        if (x.shape().rank() != 4 || x.dim(0) != y.length) {
            throw new ShapeException("certify: expected images [N,C,H,W] and N labels, got " + x.shape() + " and " + y.length + " labels");
        }
        if (attack != null) {
            attack.check(model);
        }
        long t0 = System.nanoTime();
        int n = y.length;
        RandomizedSmoothing smoothed = new RandomizedSmoothing(model, smoothing);
        int[] base = model.predict(x);
        List<RandomizedSmoothing.Certificate> certs = new ArrayList<>();
        try (ProgressListener.Task bar = progress.start("certify", n, "img")) {
            for (int i = 0; i < n; i++) {
                certs.add(smoothed.certify(x, i, i));
                bar.step(1, null);
            }
        }
        double abstained = certs.stream().filter(RandomizedSmoothing.Certificate::abstained).count() / (double) Math.max(1, n);
        List<Point> at = new ArrayList<>();
        for (double r : radii) {
            at.add(new Point(r, certifiedAccuracy(certs, y, r)));
        }
        double top = Format.roundUp(Math.max(smoothing.largestRadius(), radii.get(radii.size() - 1)));
        double[] cr = new double[CURVE_POINTS];
        double[] ca = new double[CURVE_POINTS];
        for (int g = 0; g < CURVE_POINTS; g++) {
            cr[g] = top * g / (CURVE_POINTS - 1);
            ca[g] = certifiedAccuracy(certs, y, cr[g]);
        }
        List<Empirical> empirical = new ArrayList<>();
        AttackRun.Result attacked = null;
        if (attack != null) {
            attacked = attack.run(model, x, y, progress);
            try (ProgressListener.Task bar = progress.start("smoothed predict", (long) n * radii.size(), "img")) {
                for (AttackRun.Budget b : attacked.budgets()) {
                    Tensor adv = b.result().adversarial();
                    List<RandomizedSmoothing.Prediction> preds = new ArrayList<>();
                    int right = 0;
                    int abstain = 0;
                    for (int i = 0; i < n; i++) {
                        RandomizedSmoothing.Prediction p = smoothed.predict(adv, i, i);
                        preds.add(p);
                        right += p.label() == y[i] ? 1 : 0;
                        abstain += p.abstained() ? 1 : 0;
                        bar.step(1, null);
                    }
                    empirical.add(new Empirical(b.eps(), b.robustAccuracy(), n == 0 ? 0 : (double) right / n, n == 0 ? 0 : (double) abstain / n,
                            List.copyOf(preds)));
                }
            }
        }
        return new Result(this, model.classNames(), y.clone(), base, Stats.accuracy(base, y), List.copyOf(certs), abstained, List.copyOf(at), cr, ca,
                List.copyOf(empirical), attacked, (System.nanoTime() - t0) / 1e9);
    }
}
