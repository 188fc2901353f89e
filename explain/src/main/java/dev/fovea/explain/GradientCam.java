package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * The class activation maps made from a layer's activations {@code A} and the gradient {@code G = dS_t/dA} there
 * (one backward pass per chunk): by default {@code sum_k w_k A_k} with per-channel weights from the subclass
 * ({@link GradCam}, {@link GradCamPlusPlus}, {@link XGradCam}); {@link LayerCam} weighs every position.
 */
abstract class GradientCam extends CamBase {
    /** Channel weights {@code [K]} of one sample from its activations and gradient, each {@code K*hw} values at {@code off}. */
    abstract double[] weights(float[] a, float[] g, int off, int k, int hw);

    /** The map of sample {@code i} (before its ReLU) into {@code out} at {@code i*hw}. */
    void map(float[] a, float[] g, int i, int k, int hw, float[] out) {
        weighted(a, i, k, hw, weights(a, g, i * k * hw, k, hw), out);
    }

    @Override
    final Tensor map(Classifier model, Tensor x, int[] targets, String layer, ExplainConfig cfg, double[] scores) {
        Classifier.LayerGradient lg = model.layerGradient(x, layer, Scores.objective(targets, cfg.score()));
        Tensor a = lg.activations();
        int m = a.dim(0);
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] cam = new float[m * hw];
        for (int i = 0; i < m; i++) {
            map(a.data(), lg.gradient().data(), i, k, hw, cam);
            scores[i] = lg.values()[i];
        }
        return mapOf(a, cam);
    }
}
