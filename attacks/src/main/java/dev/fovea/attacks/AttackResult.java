package dev.fovea.attacks;

import dev.fovea.tensor.Tensor;

/**
 * What an attack did to each sample: the adversarial images {@code [N,C,H,W]}, clean and adversarial predictions,
 * whether the attack succeeded (misclassified, or the target reached), the perturbation's L0, L2 and L-inf norms,
 * and the model queries spent per sample (forward passes; gradient passes count one each).
 */
public record AttackResult(Tensor adversarial, int[] cleanPrediction, int[] adversarialPrediction, int[] target, boolean[] success,
                           double[] l0, double[] l2, double[] linf, long[] queries) {
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
}
