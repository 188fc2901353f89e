package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;

import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gradient-masking diagnostics: the sanity checks of Carlini et al. 2019 ("On evaluating adversarial robustness",
 * section 5) and the flags AutoAttack raises (Croce &amp; Hein 2020), each reported as pass or warn with its
 * evidence. A warning says the robust accuracy measured by a gradient attack is probably too optimistic.
 *
 * <ol>
 * <li>{@code monotone}: robust accuracy under the iterative attack never rises with eps over the list
 *     ({@code acc(eps_i+1) <= acc(eps_i) + tolerance}).</li>
 * <li>{@code large_eps}: at a budget large enough to turn any image into another ({@link #largeEps}: 0.5 for
 *     L-inf, {@code 0.5 * sqrt(C*H*W)} for L2) the iterative attack drives accuracy to at most {@link #NEAR_ZERO}.</li>
 * <li>{@code iterative_vs_single}: at each eps the iterative attack leaves no more samples correct than the single
 *     step one ({@code acc_iterative <= acc_single + tolerance}).</li>
 * <li>{@code white_vs_black}: at the reference eps the black-box attack leaves no fewer samples correct than the
 *     iterative one at its best over the {@code seeds + 1} runs the checks make there, as restarts would
 *     ({@code acc_black >= acc_iterative - tolerance}). Samples only the black box fools are
 *     reported as evidence but do not fail the check: a query-rich black box can complement a 20-step attack on a
 *     few samples without any masking; masking shows as the black box being stronger overall.</li>
 * <li>{@code gradients}: the input gradient of the cross-entropy at the clean images is all zero for at most
 *     {@link #ZERO_GRADIENTS} of the samples and non-finite (any NaN or infinite entry) for none.</li>
 * <li>{@code restarts}: {@code seeds} runs of the iterative attack with random start and different seeds agree on
 *     the outcome (fooled or not) for at least {@link #AGREEMENT} of the clean-correct samples at the reference
 *     eps.</li>
 * </ol>
 *
 * <p>The reference eps is the non-zero budget of the list whose iterative robust accuracy is closest to half the
 * clean accuracy, where outcomes vary most. The attacks compared are parameters ({@link Setup}); each runs with
 * its own defaults ({@link Attack#defaults(Norm, double)}) under the setup's norm and seed. Images {@code [N,C,H,W]},
 * labels {@code N}. Defaults of {@link Setup#standard}: PGD-20 with random start, FGSM (L-inf) or FGM (L2),
 * {@code square} when registered, 3 seeds, tolerance 1% of the samples.
 *
 * <p>Deviations: Carlini et al. give these as questions for the evaluator, not as tests with thresholds; the
 * thresholds here ({@link #NEAR_ZERO}, {@link #ZERO_GRADIENTS}, {@link #AGREEMENT}, the tolerance) are this
 * class's choices. The checks are evidence, not proof: passing them does not show a model is robust.
 */
public final class Diagnostics {
    /** Accuracy at the large budget counted as near zero. */
    public static final double NEAR_ZERO = 0.05;
    /** Largest fraction of samples with an all-zero input gradient that passes. */
    public static final double ZERO_GRADIENTS = 0.05;
    /** Smallest agreement across seeds that passes. */
    public static final double AGREEMENT = 0.9;

    public enum Status {
        PASS, WARN
    }

    /** One check's outcome: its name, pass or warn, a sentence of evidence and the numbers behind it (numbers or arrays). */
    public record Check(String name, Status status, String evidence, Map<String, Object> numbers) {
    }

    /**
     * What the diagnostics compare. {@code blackBox} may be null (the {@code white_vs_black} check is then not
     * run and not reported); {@code tolerance} is a fraction of the samples allowed to go the wrong way in
     * checks 1, 3 and 4; {@code seeds} runs (at least 2) are compared in check 6; {@code blackBoxQueries} is the
     * black box's query budget per sample ({@code null}: {@link #BLACK_BOX_FACTOR} times the model evaluations of
     * one run of the iterative attack, at most 10,000, so the check stays proportionate to the attack it checks:
     * 550 queries against PGD-20).
     */
    public record Setup(Attack iterative, Attack singleStep, Attack blackBox, Norm norm, List<Double> eps, int seeds, double tolerance, long seed,
                        Integer blackBoxQueries) {
        public Setup {
            if (blackBoxQueries != null && (blackBoxQueries < 1 || blackBoxQueries > 10_000)) {
                throw new InvalidOptionException("blackBoxQueries", "blackBoxQueries: expected 1 to 10000 queries per sample, got " + blackBoxQueries);
            }
            if (iterative == null || singleStep == null || norm == null) {
                throw new IllegalArgumentException("diagnostics: expected an iterative and a single-step attack and a norm, got null");
            }
            if (!iterative.whiteBox() || !singleStep.whiteBox()) {
                throw new IllegalArgumentException("diagnostics: expected white-box iterative and single-step attacks, got "
                        + iterative.name() + " and " + singleStep.name());
            }
            if (blackBox != null && blackBox.whiteBox()) {
                throw new IllegalArgumentException("diagnostics: expected a black-box attack, got " + blackBox.name());
            }
            if (eps == null || eps.stream().noneMatch(e -> e > 0)) {
                throw new IllegalArgumentException("diagnostics: expected at least one positive eps, got " + eps);
            }
            eps = eps.stream().sorted().distinct().toList();
            if (seeds < 2) {
                throw new IllegalArgumentException("diagnostics: expected at least 2 seeds, got " + seeds);
            }
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new IllegalArgumentException("diagnostics: expected a tolerance in [0,1), got " + tolerance);
            }
        }

        /** The setup with the black box at its default query budget. */
        public Setup(Attack iterative, Attack singleStep, Attack blackBox, Norm norm, List<Double> eps, int seeds, double tolerance, long seed) {
            this(iterative, singleStep, blackBox, norm, eps, seeds, tolerance, seed, null);
        }

        /** The same setup with the black box given {@code queries} per sample ({@code null}: its default). */
        public Setup withBlackBoxQueries(Integer queries) {
            return new Setup(iterative, singleStep, blackBox, norm, eps, seeds, tolerance, seed, queries);
        }

        /** PGD against FGSM (L-inf) or FGM (L2), and {@code square} when the registry has it; 3 seeds, tolerance 1%. */
        public static Setup standard(Norm norm, List<Double> eps, long seed) {
            Attack black = Attacks.all().stream().filter(a -> a.name().equals("square")).findFirst().orElse(null);
            return new Setup(Attacks.named("pgd"), Attacks.named(norm == Norm.LINF ? "fgsm" : "fgm"), black, norm, eps, 3, 0.01, seed);
        }

        /** Number of attack runs {@link #run} makes, for a progress bar. */
        public int runs() {
            return 2 * eps.size() + 1 + seeds + (blackBox == null ? 0 : 1);
        }

        /** The black box's configuration at {@code e}: its defaults with the setup's seed and query budget. */
        public AttackConfig blackBoxConfig(double e, int classes, int inputSize) {
            AttackConfig bc = blackBox.defaults(norm, e).withSeed(seed);
            long q = blackBoxQueries != null ? blackBoxQueries
                    : Math.min(AttackConfig.MAX_STEPS, BLACK_BOX_FACTOR * iterative.queryBound(iterative.defaults(norm, e), classes, inputSize));
            return bc.withSteps((int) q);
        }

        /**
         * The attack runs of {@link #run}, in the order they run, for inputs of {@code inputSize} values and
         * {@code classes} classes. The last {@code seeds} runs of the iterative attack and the black box's run use
         * the reference budget, which depends on earlier results: their configuration here holds the largest budget.
         */
        public List<Planned> plan(int classes, int inputSize) {
            List<Planned> out = new ArrayList<>();
            for (double e : eps) {
                out.add(new Planned(iterative, iterative.defaults(norm, e).withSeed(seed), iterative.name() + " eps " + e));
                out.add(new Planned(singleStep, singleStep.defaults(norm, e).withSeed(seed), singleStep.name() + " eps " + e));
            }
            double big = largeEps(norm, inputSize);
            out.add(new Planned(iterative, iterative.defaults(norm, big).withSeed(seed), iterative.name() + " eps " + big));
            double ref = eps.get(eps.size() - 1);
            for (int k = 0; k < seeds; k++) {
                out.add(new Planned(iterative, iterative.defaults(norm, ref).withSeed(seed + 1 + k).withRandomStart(true),
                        iterative.name() + " seed " + (seed + 1 + k) + " at the reference budget"));
            }
            if (blackBox != null) {
                out.add(new Planned(blackBox, blackBoxConfig(ref, classes, inputSize), blackBox.name() + " at the reference budget"));
            }
            return out;
        }
    }

    /** The black box's query budget per sample, as a multiple of the iterative attack's model evaluations, when the setup gives none. */
    public static final int BLACK_BOX_FACTOR = 25;

    /** One attack run of the checks: the attack, its configuration, and what the run is ({@code pgd eps 0.03}). */
    public record Planned(Attack attack, AttackConfig config, String what) {
        /** Model evaluations per sample at most ({@link Attack#queryBound}). */
        public long queryBound(int classes, int inputSize) {
            return attack.queryBound(config, classes, inputSize);
        }
    }

    private Diagnostics() {
    }

    /** The budget that {@code large_eps} uses for images of {@code perSample} values. */
    public static double largeEps(Norm norm, int perSample) {
        return norm == Norm.LINF ? 0.5 : 0.5 * Math.sqrt(perSample);
    }

    /** Runs every check on {@code x}, {@code labels}; {@code step} hears the name of each attack run as it ends. */
    public static List<Check> run(Classifier model, Tensor x, int[] labels, Setup s, Consumer<String> step) {
        int n = labels.length;
        if (x.shape().rank() != 4 || x.dim(0) != n || n == 0) {
            throw new IllegalArgumentException("diagnostics: expected images [N,C,H,W] and N > 0 labels, got " + x.shape() + " and " + n);
        }
        Criterion misclassified = Criterion.misclassification(labels);
        boolean[] wrong = misclassified.test(model.predict(x));
        boolean[] correct = new boolean[n];
        int nCorrect = 0;
        for (int i = 0; i < n; i++) {
            correct[i] = !wrong[i];
            nCorrect += correct[i] ? 1 : 0;
        }
        double cleanAcc = (double) nCorrect / n;
        List<Double> eps = s.eps();
        double[] it = new double[eps.size()];
        double[] single = new double[eps.size()];
        AttackResult[] itRuns = new AttackResult[eps.size()];
        for (int b = 0; b < eps.size(); b++) {
            itRuns[b] = attack(s.iterative(), model, x, labels, s.norm(), eps.get(b), s.seed(), null);
            it[b] = itRuns[b].robustAccuracy(labels);
            step.accept(s.iterative().name() + " eps " + eps.get(b));
            single[b] = attack(s.singleStep(), model, x, labels, s.norm(), eps.get(b), s.seed(), null).robustAccuracy(labels);
            step.accept(s.singleStep().name() + " eps " + eps.get(b));
        }
        int ref = reference(eps, it, cleanAcc);
        List<Check> out = new ArrayList<>();
        out.add(monotone(s, it));
        double big = largeEps(s.norm(), x.shape().sizeFrom(1));
        double bigAcc = attack(s.iterative(), model, x, labels, s.norm(), big, s.seed(), null).robustAccuracy(labels);
        step.accept(s.iterative().name() + " eps " + big);
        out.add(check("large_eps", bigAcc <= NEAR_ZERO,
                String.format(java.util.Locale.ROOT, "%s at eps %.3g leaves %.1f%% correct (near zero: at most %.0f%%)", s.iterative().name(), big,
                        100 * bigAcc, 100 * NEAR_ZERO), nums("eps", big, "robust_accuracy", bigAcc, "threshold", NEAR_ZERO)));
        out.add(iterativeVsSingle(s, it, single));
        boolean[] whiteFooled = misclassified.test(itRuns[ref].adversarialPrediction());
        Check agreement = restarts(model, x, labels, s, eps.get(ref), correct, nCorrect, whiteFooled, step);
        if (s.blackBox() != null) {
            out.add(whiteVsBlack(model, x, labels, s, eps.get(ref), whiteFooled, step));
        }
        out.add(gradients(model, x, labels));
        out.add(agreement);
        return out;
    }

    private static Check monotone(Setup s, double[] acc) {
        double worst = 0;
        int at = -1;
        for (int b = 1; b < acc.length; b++) {
            if (acc[b] - acc[b - 1] > worst) {
                worst = acc[b] - acc[b - 1];
                at = b;
            }
        }
        String ev = at < 0 ? s.iterative().name() + " robust accuracy never rises over " + s.eps()
                : String.format(java.util.Locale.ROOT, "%s robust accuracy rises by %.1f points from eps %s to %s", s.iterative().name(), 100 * worst,
                s.eps().get(at - 1), s.eps().get(at));
        return check("monotone", worst <= s.tolerance() + 1e-12, ev, nums("eps", toArray(s.eps()), "robust_accuracy", acc, "largest_rise", worst));
    }

    private static Check iterativeVsSingle(Setup s, double[] it, double[] single) {
        double worst = Double.NEGATIVE_INFINITY;
        int at = 0;
        for (int b = 0; b < it.length; b++) {
            if (s.eps().get(b) > 0 && it[b] - single[b] > worst) {
                worst = it[b] - single[b];
                at = b;
            }
        }
        boolean pass = worst <= s.tolerance() + 1e-12;
        String ev = String.format(java.util.Locale.ROOT, pass ? "%s at most as accurate as %s at every eps (closest: eps %s, %.1f%% vs %.1f%%)"
                        : "%s leaves more correct than %s at eps %s: %.1f%% vs %.1f%%", s.iterative().name(), s.singleStep().name(),
                s.eps().get(at), 100 * it[at], 100 * single[at]);
        return check("iterative_vs_single", pass, ev, nums("eps", toArray(s.eps()), s.iterative().name(), it, s.singleStep().name(), single));
    }

    private static Check whiteVsBlack(Classifier model, Tensor x, int[] labels, Setup s, double e, boolean[] whiteFooled, Consumer<String> step) {
        int n = labels.length;
        AttackResult black = s.blackBox().run(model, x, labels, s.blackBoxConfig(e, model.classes(), x.shape().sizeFrom(1)));
        step.accept(s.blackBox().name() + " eps " + e);
        boolean[] blackFooled = Criterion.misclassification(labels).test(black.adversarialPrediction());
        int whiteLeft = 0;
        int only = 0;
        for (int i = 0; i < n; i++) {
            whiteLeft += whiteFooled[i] ? 0 : 1;
            only += blackFooled[i] && !whiteFooled[i] ? 1 : 0;
        }
        double whiteAcc = (double) whiteLeft / n;
        double blackAcc = black.robustAccuracy(labels);
        String ev = String.format(java.util.Locale.ROOT, "at eps %s %s (worst of %d seeds) leaves %.1f%% correct, %s %.1f%% (%d samples fooled only by %s)",
                e, s.iterative().name(), s.seeds() + 1, 100 * whiteAcc, s.blackBox().name(), 100 * blackAcc, only, s.blackBox().name());
        return check("white_vs_black", blackAcc >= whiteAcc - s.tolerance() - 1e-12, ev,
                nums("eps", e, "white_box_accuracy", whiteAcc, "black_box_accuracy", blackAcc, "black_box_only", (double) only));
    }

    private static Check gradients(Classifier model, Tensor x, int[] labels) {
        int n = labels.length;
        int per = x.shape().sizeFrom(1);
        float[] g = model.gradient(x, Objective.crossEntropy(labels)).gradient().data();
        int zero = 0;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            boolean allZero = true;
            boolean finite = true;
            for (int j = i * per; j < (i + 1) * per; j++) {
                allZero &= g[j] == 0f;
                finite &= Float.isFinite(g[j]);
            }
            zero += allZero && finite ? 1 : 0;
            bad += finite ? 0 : 1;
        }
        double fz = (double) zero / n;
        double fb = (double) bad / n;
        String ev = String.format(java.util.Locale.ROOT, "input gradients of the cross-entropy: %.1f%% all zero (at most %.0f%%), %.1f%% NaN or infinite",
                100 * fz, 100 * ZERO_GRADIENTS, 100 * fb);
        return check("gradients", fz <= ZERO_GRADIENTS && bad == 0, ev, nums("zero_fraction", fz, "nonfinite_fraction", fb, "threshold", ZERO_GRADIENTS));
    }

    /** Check 6; also marks in {@code anyFooled} the samples some seed fooled. */
    private static Check restarts(Classifier model, Tensor x, int[] labels, Setup s, double e, boolean[] correct, int nCorrect,
                                  boolean[] anyFooled, Consumer<String> step) {
        int n = labels.length;
        Criterion misclassified = Criterion.misclassification(labels);
        boolean[][] fooled = new boolean[s.seeds()][];
        double[] acc = new double[s.seeds()];
        for (int k = 0; k < s.seeds(); k++) {
            AttackResult r = attack(s.iterative(), model, x, labels, s.norm(), e, s.seed() + 1 + k, Boolean.TRUE);
            fooled[k] = misclassified.test(r.adversarialPrediction());
            for (int i = 0; i < n; i++) {
                anyFooled[i] |= fooled[k][i];
            }
            acc[k] = r.robustAccuracy(labels);
            step.accept(s.iterative().name() + " seed " + (s.seed() + 1 + k));
        }
        int same = 0;
        for (int i = 0; i < n; i++) {
            if (!correct[i]) {
                continue;
            }
            boolean all = true;
            for (int k = 1; k < s.seeds(); k++) {
                all &= fooled[k][i] == fooled[0][i];
            }
            same += all ? 1 : 0;
        }
        double agreement = nCorrect == 0 ? 1 : (double) same / nCorrect;
        String ev = String.format(java.util.Locale.ROOT, "%d seeds of %s at eps %s agree on %.1f%% of the %d clean-correct samples (at least %.0f%%)",
                s.seeds(), s.iterative().name(), e, 100 * agreement, nCorrect, 100 * AGREEMENT);
        return check("restarts", agreement >= AGREEMENT, ev, nums("eps", e, "agreement", agreement, "robust_accuracy", acc, "threshold", AGREEMENT));
    }

    /** The attack at its defaults under the setup's norm, with the given seed (and random start, when not null). */
    private static AttackResult attack(Attack a, Classifier model, Tensor x, int[] y, Norm norm, double e, long seed, Boolean randomStart) {
        AttackConfig d = a.defaults(norm, e).withSeed(seed);
        return a.run(model, x, y, randomStart != null ? d.withRandomStart(randomStart) : d);
    }

    private static int reference(List<Double> eps, double[] acc, double cleanAcc) {
        int best = -1;
        for (int b = 0; b < eps.size(); b++) {
            if (eps.get(b) > 0 && (best < 0 || Math.abs(acc[b] - cleanAcc / 2) < Math.abs(acc[best] - cleanAcc / 2))) {
                best = b;
            }
        }
        return best;
    }

    private static Check check(String name, boolean pass, String evidence, Map<String, Object> numbers) {
        return new Check(name, pass ? Status.PASS : Status.WARN, evidence, numbers);
    }

    private static Map<String, Object> nums(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
