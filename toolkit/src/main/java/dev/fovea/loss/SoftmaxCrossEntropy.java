package dev.fovea.loss;

import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * Softmax cross-entropy on logits, {@code -log softmax(z)_y = logsumexp(z) - z_y}, with the log-sum-exp taken
 * after subtracting the row maximum so no exponential overflows. The mean loss's gradient on the logits is
 * {@code (softmax(z) - onehot(y)) / N}.
 */
public final class SoftmaxCrossEntropy {
    /** Mean loss, per-sample losses and the gradient of the mean loss with respect to the logits. */
    public record Result(double loss, double[] perSample, Tensor gradient) {
    }

    private SoftmaxCrossEntropy() {
    }

    /**
     * The loss of one row {@code z[o, o+k)} with label {@code y}; writes {@code (softmax - onehot) / divisor} into
     * {@code g[o, o+k)}.
     */
    public static double row(float[] z, int o, int k, int y, float[] g, double divisor) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[o + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z[o + j] - max);
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < k; j++) {
            g[o + j] = (float) ((Math.exp(z[o + j] - lse) - (j == y ? 1 : 0)) / divisor);
        }
        return lse - z[o + y];
    }

    public static Result compute(Tensor logits, int[] labels) {
        logits.shape().requireRank(2, "cross-entropy", "logits [N,K]");
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (labels.length != n) {
            throw new ShapeException("cross-entropy: expected " + n + " labels for logits " + logits.shape() + ", got " + labels.length);
        }
        float[] z = logits.data();
        float[] g = new float[n * k];
        double[] per = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = i * k;
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("cross-entropy: label " + y + " of sample " + i + " is outside [0," + k + ")");
            }
            per[i] = row(z, o, k, y, g, n);
            total += per[i];
        }
        return new Result(total / n, per, Tensor.of(g, n, k));
    }
}
