package dev.fovea.attacks;

import dev.fovea.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an attack did to each sample: the adversarial images {@code [N,C,H,W]}, clean and adversarial predictions,
 * the target class ({@code -1} when untargeted), whether the attack succeeded (misclassified, or the target
 * reached), the perturbation's L0, L2 and L-inf norms, the model queries spent per sample (forward passes;
 * gradient passes count one each), and the extras of some attacks:
 * <ul>
 * <li>{@code minimalNorm}: for minimum-norm attacks the norm (in the attack's norm) of the smallest successful
 *     perturbation found per sample, before the projection onto the budget's ball: {@code 0} for a sample fooled
 *     already, {@code +inf} when none was found, {@code NaN} when there was no search (fixed-budget attacks, or
 *     only the budget 0).</li>
 * <li>{@code fooledBy}: for an ensemble ({@link Attack#ensemble()}) the component that fooled each sample by name,
 *     {@value #CLEAN} when the model erred already, {@value #NONE} when no component did; empty for other
 *     attacks.</li>
 * </ul>
 */
public record AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                           double[] l0, double[] l2, double[] linf, long[] queries, double[] minimalNorm, List<String> fooledBy) {
    /** {@link #fooledBy()} of a sample the model misclassified (or put in its target class) before the attack. */
    public static final String CLEAN = "clean";
    /** {@link #fooledBy()} of a sample that no component fooled. */
    public static final String NONE = "none";

    public AttackResult {
        int n = success.length;
        fooledBy = fooledBy == null ? List.of() : List.copyOf(fooledBy);
        if (cleanPrediction.length != n || adversarialPrediction.length != n || target.length != n || l0.length != n || l2.length != n
                || linf.length != n || queries.length != n || minimalNorm.length != n || !(fooledBy.isEmpty() || fooledBy.size() == n)) {
            throw new IllegalArgumentException("attack result: expected " + n + " entries per sample field (fooledBy: " + n + " or none), got "
                    + cleanPrediction.length + ", " + adversarialPrediction.length + ", " + target.length + ", " + l0.length + ", " + l2.length + ", "
                    + linf.length + ", " + queries.length + ", " + minimalNorm.length + ", " + fooledBy.size());
        }
        if (adversarial.shape().rank() == 0 || adversarial.dim(0) != n) {
            throw new IllegalArgumentException("attack result: expected images [" + n + ",C,H,W], got " + adversarial.shape());
        }
    }

    /** The result of an attack that is no ensemble: {@link #fooledBy()} empty. */
    public AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                        double[] l0, double[] l2, double[] linf, long[] queries, double[] minimalNorm) {
        this(adversarial, cleanPrediction, adversarialPrediction, target, success, l0, l2, linf, queries, minimalNorm, List.of());
    }

    /** The result of a fixed-budget attack that is no ensemble: minimal norms unknown ({@code NaN}), {@link #fooledBy()} empty. */
    public AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                        double[] l0, double[] l2, double[] linf, long[] queries) {
        this(adversarial, cleanPrediction, adversarialPrediction, target, success, l0, l2, linf, queries, nans(success.length));
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    /**
     * The results of consecutive chunks of samples (the same attack and options on {@code x.slice(0, a)},
     * {@code x.slice(a, b)}, ...) as one, every field joined in order. The parts' images must have the same shape
     * per sample, and either all or none carry {@link #fooledBy()}.
     */
    public static AttackResult concat(List<AttackResult> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("attack result concat: expected at least one part, got none");
        }
        dev.fovea.tensor.Shape sample = parts.get(0).adversarial().shape().tail();
        boolean by = parts.get(0).hasFooledBy();
        int n = 0;
        for (AttackResult r : parts) {
            if (!r.adversarial().shape().tail().equals(sample) || r.hasFooledBy() != by) {
                throw new IllegalArgumentException("attack result concat: expected parts of images " + sample + (by ? " with" : " without")
                        + " fooledBy, got " + r.adversarial().shape() + (r.hasFooledBy() ? " with" : " without") + " fooledBy");
            }
            n += r.size();
        }
        int per = sample.size();
        float[] adv = new float[n * per];
        int[] cp = new int[n];
        int[] ap = new int[n];
        int[] tg = new int[n];
        boolean[] ok = new boolean[n];
        double[] l0 = new double[n];
        double[] l2 = new double[n];
        double[] li = new double[n];
        long[] q = new long[n];
        double[] mn = new double[n];
        List<String> fb = new java.util.ArrayList<>(by ? n : 0);
        int at = 0;
        for (AttackResult r : parts) {
            int s = r.size();
            System.arraycopy(r.adversarial().data(), 0, adv, at * per, s * per);
            System.arraycopy(r.cleanPrediction(), 0, cp, at, s);
            System.arraycopy(r.adversarialPrediction(), 0, ap, at, s);
            System.arraycopy(r.target(), 0, tg, at, s);
            System.arraycopy(r.success(), 0, ok, at, s);
            System.arraycopy(r.l0(), 0, l0, at, s);
            System.arraycopy(r.l2(), 0, l2, at, s);
            System.arraycopy(r.linf(), 0, li, at, s);
            System.arraycopy(r.queries(), 0, q, at, s);
            System.arraycopy(r.minimalNorm(), 0, mn, at, s);
            fb.addAll(r.fooledBy());
            at += s;
        }
        return new AttackResult(new Tensor(sample.withBatch(n), adv), cp, ap, tg, ok, l0, l2, li, q, mn, fb);
    }

    /** Whether {@link #minimalNorm()} holds a search's result (a minimum-norm attack) rather than {@code NaN}. */
    public boolean hasMinimalNorm() {
        for (double v : minimalNorm) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #fooledBy()} names a component per sample (an ensemble's result). */
    public boolean hasFooledBy() {
        return !fooledBy.isEmpty();
    }

    /**
     * How many samples each name of {@link #fooledBy()} stands for, in the order the names first occur; empty when
     * {@link #hasFooledBy()} is false.
     */
    public Map<String, Integer> fooledByCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String c : fooledBy) {
            out.merge(c, 1, Integer::sum);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public int size() {
        return success.length;
    }

    public double successRate() {
        int s = 0;
        for (boolean b : success) {
            if (b) {
                s++;
            }
        }
        return success.length == 0 ? 0 : (double) s / success.length;
    }

    /** Fraction of samples the model still classifies correctly under attack. */
    public double robustAccuracy(int[] labels) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (adversarialPrediction[i] == labels[i]) {
                c++;
            }
        }
        return labels.length == 0 ? 0 : (double) c / labels.length;
    }

    /**
     * Robust accuracy at budget {@code eps} read from the minimal norms: the fraction of samples classified
     * correctly whose smallest perturbation found exceeds {@code eps}. Equals {@link #robustAccuracy} at that budget
     * unless a perturbation scaled down onto the ball still fools the model (then {@link #robustAccuracy} is lower).
     */
    public double robustAccuracyFromMinimalNorm(int[] labels, double eps) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (cleanPrediction[i] == labels[i] && !(minimalNorm[i] <= eps)) {
                c++;
            }
        }
        return labels.length == 0 ? 0 : (double) c / labels.length;
    }
}
