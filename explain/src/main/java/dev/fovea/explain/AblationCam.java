package dev.fovea.explain;

import dev.fovea.model.ActivationReplacement;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Ablation-CAM of Desai and Ramaswamy, "Ablation-CAM: Visual Explanations for Deep Convolutional Network via
 * Gradient-free Localization" (WACV 2020): the weight of channel {@code k} is the relative drop of the target's score
 * when that channel of the layer is set to zero, {@code w_k = (S_t - S_t^k) / S_t}, map {@code ReLU(sum_k w_k A_k)},
 * upsampled as {@link CamBase}. No gradient; {@code K} model rows per sample (the layer's output replaced, see
 * {@link ActivationReplacement}), in chunks of {@code batchSize}. pytorch-grad-cam's formula with the paper's
 * zero ablation (pytorch-grad-cam ablates with {@code min(A) - 1e7} when the activations can be negative); a score
 * {@code S_t = 0} divides by 1 instead. Needs a backend that can replace a layer's output (the own engine; a
 * TorchScript model with {@code features}/{@code head}). Option {@code layer} (default the last convolutional).
 * Unsigned. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]}.
 */
final class AblationCam extends CamBase {
    @Override
    public String name() {
        return "ablation-cam";
    }

    @Override
    public String describe() {
        return "Ablation-CAM, Desai & Ramaswamy 2020: --layer's channels weighted by the relative score drop when each is set to zero "
                + "(no gradient). Unsigned, [N,1,H,W].";
    }

    @Override
    public boolean manyRowsPerSample() {
        return true;
    }

    @Override
    protected Options validate(Classifier model, Tensor x, AttributionOptions options) {
        Options o = super.validate(model, x, options);
        if (model.activationReplacement().isEmpty()) {
            throw new IllegalArgumentException(name() + ": not available for this model: it needs a layer's output replaced, which the "
                    + model.backend() + " backend cannot do here (the own engine can, and a TorchScript model with features and head methods)");
        }
        return o;
    }

    @Override
    Tensor map(Classifier model, Tensor x, int[] targets, String layer, ExplainConfig cfg, double[] scores) {
        ActivationReplacement rep = model.activationReplacement().orElseThrow();
        Tensor a = model.activations(x, layer);
        int m = a.dim(0);
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        int per = x.shape().sizeFrom(1);
        int perA = k * hw;
        double[] s = Scores.of(model, x, targets, cfg.score(), m);
        System.arraycopy(s, 0, scores, 0, m);
        int rows = Rows.count(m, k, "layer");
        double[][] w = new double[m][k];
        for (int from = 0; from < rows; from += cfg.batchSize()) {
            int c = Math.min(cfg.batchSize(), rows - from);
            float[] xs = new float[c * per];
            float[] as = new float[c * perA];
            int[] t = new int[c];
            for (int r = 0; r < c; r++) {
                int i = (from + r) / k;
                int ch = (from + r) % k;
                System.arraycopy(x.data(), i * per, xs, r * per, per);
                System.arraycopy(a.data(), i * perA, as, r * perA, perA);
                java.util.Arrays.fill(as, r * perA + ch * hw, r * perA + (ch + 1) * hw, 0f);
                t[r] = targets[i];
            }
            Tensor logits = rep.logits(new Tensor(x.shape().tail().withBatch(c), xs), layer, new Tensor(a.shape().tail().withBatch(c), as));
            double[] v = Scores.fromLogits(logits, t, cfg.score());
            for (int r = 0; r < c; r++) {
                int i = (from + r) / k;
                double base = s[i] == 0 ? 1 : s[i];
                w[i][(from + r) % k] = (s[i] - v[r]) / base;
            }
        }
        float[] cam = new float[m * hw];
        for (int i = 0; i < m; i++) {
            weighted(a.data(), i, k, hw, w[i], cam);
        }
        return mapOf(a, cam);
    }

    @Override
    public String unavailableFor(Classifier model) {
        return model.activationReplacement().isPresent() ? null : "it needs a layer's output replaced, which the " + model.backend()
                + " backend cannot do here";
    }
}
