package dev.fovea.attacks;

import dev.fovea.tensor.Tensor;

/**
 * What an attack did to each sample: the adversarial images {@code [N,C,H,W]}, clean and adversarial predictions,
 * whether the attack succeeded (misclassified, or the target reached), the perturbation's L0, L2 and L-inf norms,
 * the model queries spent per sample (forward passes; gradient passes count one each), and for minimum-norm attacks
 * the norm (in the attack's norm) of the smallest successful perturbation found per sample, before the projection
 * onto the budget's ball: {@code 0} for a sample fooled already, {@code +inf} when none was found, {@code NaN} when
 * there was no search (fixed-budget attacks, or only the budget 0).
 */
public record AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                           double[] l0, double[] l2, double[] linf, long[] queries, double[] minimalNorm) {
    /** The result of a fixed-budget attack: minimal norms unknown ({@code NaN}). */
    public AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                        double[] l0, double[] l2, double[] linf, long[] queries) {
        this(adversarial, cleanPrediction, adversarialPrediction, target, success, l0, l2, linf, queries, nans(success.length));
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
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
