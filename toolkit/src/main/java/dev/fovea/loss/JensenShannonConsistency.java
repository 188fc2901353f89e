package dev.fovea.loss;

import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * AugMix's training loss (Hendrycks et al., "AugMix: a simple data processing method to improve robustness and
 * uncertainty", ICLR 2020, section 3 and {@code cifar.py}): the cross-entropy of the clean images plus
 * {@code lambda} times the Jensen-Shannon divergence between the predictions on each clean image and its two
 * AugMix copies,
 *
 * <pre>
 *   L = mean_n [ CE(z_clean, y) + lambda * JS ],   JS = (KL(p_clean || M) + KL(p_aug1 || M) + KL(p_aug2 || M)) / 3,
 *   M = clamp((p_clean + p_aug1 + p_aug2) / 3, 1e-7, 1),   p = softmax(z),   KL(p || M) = sum_k p_k (log p_k - log M_k)
 * </pre>
 *
 * with {@code lambda = 12} in the paper; the clamp keeps the divergence finite, as the reference code clamps it
 * (where it clamps, no gradient flows through {@code M}). The logits {@code [3N,K]} hold the clean rows first, then
 * the first and the second copies (the reference concatenates the three into one batch, so batch norm sees all
 * {@code 3N}); the mean is over the {@code N} images ({@code reduction='batchmean'}).
 *
 * <p>Gradient: with {@code G_jk = dJS/dp_jk = (log p_jk + 1 - log M_k - u_k) / 3}, where {@code u_k} is 1 where
 * {@code M_k} is not clamped and 0 where it is, the softmax gives {@code dJS/dz_jk = p_jk (G_jk - sum_l p_jl G_jl)};
 * the clean rows add {@code softmax - onehot}; all divided by {@code N}. Computed in double, log-probabilities as
 * {@code z - logsumexp(z)}.
 */
public final class JensenShannonConsistency {
    /** The paper's weight of the divergence. */
    public static final double LAMBDA = 12;
    /** The reference code's lower clamp of the mixture. */
    public static final double FLOOR = 1e-7;

    /** The mean loss, its two parts (mean cross-entropy and mean divergence, unweighted) and the gradient on the logits. */
    public record Result(double loss, double crossEntropy, double divergence, Tensor gradient) {
    }

    private JensenShannonConsistency() {
    }

    /** The loss of logits {@code [3N,K]} (clean, first copy, second copy) for labels {@code [N]}. */
    public static Result compute(Tensor logits, int[] labels, double lambda) {
        logits.shape().requireRank(2, "jensen-shannon loss", "logits [3N,K]");
        int rows = logits.dim(0);
        int k = logits.dim(1);
        if (rows != 3 * labels.length) {
            throw new ShapeException("jensen-shannon loss: expected logits [3N,K] for N = " + labels.length
                    + " labels (clean, then two augmented copies), got " + logits.shape());
        }
        float[] zf = logits.data();
        double[] z = new double[zf.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = zf[i];
        }
        double[] g = new double[z.length];
        double[] parts = compute(z, labels.length, k, labels, lambda, g);
        float[] gf = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gf[i] = (float) g[i];
        }
        return new Result(parts[0], parts[1], parts[2], Tensor.of(gf, rows, k));
    }

    /**
     * The loss in double precision: {@code z} holds {@code 3n} rows of {@code k} logits; writes the gradient of the
     * mean loss into {@code grad} (same length, or null for none) and returns {@code {loss, crossEntropy, divergence}}.
     */
    public static double[] compute(double[] z, int n, int k, int[] labels, double lambda, double[] grad) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("jensen-shannon loss: expected a finite lambda >= 0, got " + lambda);
        }
        if (z.length != 3 * n * k || (grad != null && grad.length != z.length) || labels.length != n) {
            throw new ShapeException("jensen-shannon loss: expected " + 3 * n * k + " logits and " + n + " labels, got "
                    + z.length + " logits and " + labels.length + " labels");
        }
        double[][] logp = new double[3][k];
        double[][] p = new double[3][k];
        double[] logm = new double[k];
        double[] unclamped = new double[k];
        double ce = 0;
        double js = 0;
        for (int s = 0; s < n; s++) {
            int y = labels[s];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("jensen-shannon loss: label " + y + " of sample " + s + " is outside [0," + k + ")");
            }
            for (int i = 0; i < 3; i++) {
                logSoftmax(z, (i * n + s) * k, k, logp[i], p[i]);
            }
            ce -= logp[0][y];
            for (int c = 0; c < k; c++) {
                double m = (p[0][c] + p[1][c] + p[2][c]) / 3;
                boolean clamped = m < FLOOR || m > 1;
                logm[c] = Math.log(m < FLOOR ? FLOOR : Math.min(m, 1.0));
                unclamped[c] = clamped ? 0 : 1;
            }
            for (int i = 0; i < 3; i++) {
                double kl = 0;
                for (int c = 0; c < k; c++) {
                    kl += p[i][c] * (logp[i][c] - logm[c]);
                }
                js += kl / 3;
            }
            if (grad == null) {
                continue;
            }
            for (int i = 0; i < 3; i++) {
                int o = (i * n + s) * k;
                double dot = 0;
                for (int c = 0; c < k; c++) {
                    dot += p[i][c] * (logp[i][c] + 1 - logm[c] - unclamped[c]) / 3;
                }
                for (int c = 0; c < k; c++) {
                    double gjs = p[i][c] * ((logp[i][c] + 1 - logm[c] - unclamped[c]) / 3 - dot);
                    double gce = i == 0 ? p[0][c] - (c == y ? 1 : 0) : 0;
                    grad[o + c] = (gce + lambda * gjs) / n;
                }
            }
        }
        return new double[] {(ce + lambda * js) / n, ce / n, js / n};
    }

    private static void logSoftmax(double[] z, int o, int k, double[] logp, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(z[o + c] - max);
        }
        double lse = max + Math.log(sum);
        for (int c = 0; c < k; c++) {
            logp[c] = z[o + c] - lse;
            p[c] = Math.exp(logp[c]);
        }
    }
}
