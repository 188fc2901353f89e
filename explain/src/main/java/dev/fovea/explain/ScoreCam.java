package dev.fovea.explain;

import dev.fovea.image.Bilinear;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Score-CAM of Wang et al., "Score-CAM: Score-Weighted Visual Explanations for Convolutional Neural Networks" (CVPR
 * workshops 2020): each channel {@code A_k} of the layer upsampled bilinearly to the input's size and min-max
 * scaled to {@code [0,1]} is a mask {@code H_k}; the model scores the masked input {@code x * H_k} (every input
 * channel) for the target, {@code s_k = S_t(x * H_k)}; weights {@code w = softmax_k(s)}, map
 * {@code ReLU(sum_k w_k A_k)}, upsampled as {@link CamBase}. No gradient. Definitions as pytorch-grad-cam's
 * {@code ScoreCAM} (logit scores by default, softmax over channels), with two differences: the mask multiplies the
 * pixels (masked parts black), not the normalised tensor (masked parts at the mean; the same for a model without
 * a mean), and a constant channel gives an all-zero mask (pytorch-grad-cam divides by {@code max - min + eps}).
 * {@code K} model rows per sample, in chunks of {@code batchSize}. Option {@code layer} (default the last
 * convolutional). Unsigned. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]}.
 */
final class ScoreCam extends CamBase {
    @Override
    public String name() {
        return "score-cam";
    }

    @Override
    public String describe() {
        return "Score-CAM, Wang et al. 2020: --layer's channels weighted by the softmax of the target's score on the input masked by each "
                + "(no gradient). Unsigned, [N,1,H,W].";
    }

    @Override
    public boolean manyRowsPerSample() {
        return true;
    }

    @Override
    Tensor map(Classifier model, Tensor x, int[] targets, String layer, ExplainConfig cfg, double[] scores) {
        Tensor a = model.activations(x, layer);
        int m = a.dim(0);
        int k = a.dim(1);
        int h = a.dim(2);
        int w = a.dim(3);
        int c = x.dim(1);
        int hwIn = x.dim(2) * x.dim(3);
        int per = c * hwIn;
        double[] s = Scores.of(model, x, targets, cfg.score(), m);
        System.arraycopy(s, 0, scores, 0, m);
        double[][] masked = new double[m][k];
        float[][] masks = new float[1][];
        int[] cached = {-1};
        Rows.scores(model, Rows.count(m, k, "layer"), cfg, r -> targets[r / k], (r, d, off) -> {
            int i = r / k;
            if (cached[0] != i) {
                masks[0] = masks(a, i, x.dim(2), x.dim(3));
                cached[0] = i;
            }
            int ch = r % k;
            for (int cc = 0; cc < c; cc++) {
                for (int p = 0; p < hwIn; p++) {
                    d[off + cc * hwIn + p] = x.data()[i * per + cc * hwIn + p] * masks[0][ch * hwIn + p];
                }
            }
        }, (r, v) -> masked[r / k][r % k] = v);
        float[] cam = new float[m * h * w];
        for (int i = 0; i < m; i++) {
            weighted(a.data(), i, k, h * w, softmax(masked[i]), cam);
        }
        return mapOf(a, cam);
    }

    /** Sample {@code i}'s channels upsampled to {@code H x W} and each min-max scaled to {@code [0,1]}, {@code [K*H*W]}. */
    private static float[] masks(Tensor a, int i, int outH, int outW) {
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        int out = outH * outW;
        float[] up = new float[k * out];
        for (int c = 0; c < k; c++) {
            Bilinear.resizePlane(a.data(), (i * k + c) * hw, a.dim(2), a.dim(3), up, c * out, outH, outW);
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int p = c * out; p < (c + 1) * out; p++) {
                lo = Math.min(lo, up[p]);
                hi = Math.max(hi, up[p]);
            }
            for (int p = c * out; p < (c + 1) * out; p++) {
                up[p] = hi > lo ? (up[p] - lo) / (hi - lo) : 0f;
            }
        }
        return up;
    }

    static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            max = Math.max(max, e);
        }
        double total = 0;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.exp(v[i] - max);
            total += out[i];
        }
        for (int i = 0; i < v.length; i++) {
            out[i] /= total;
        }
        return out;
    }
}
