package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * The class activation maps made from a layer's activations {@code A} and the gradient {@code G = dS_t/dA} there
 * (one backward pass per chunk), one sample at a time: {@code sum_k w_k A_k} with per-channel weights
 * ({@link ChannelWeightedCam}), or every position weighed on its own ({@link LayerCam}).
 */
abstract class GradientCam extends CamBase {
    /** The map of sample {@code i} (before its ReLU) into {@code out} at {@code i*hw}, from its {@code K*hw} activations and gradient. */
    abstract void map(float[] a, float[] g, int i, int k, int hw, float[] out);

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
