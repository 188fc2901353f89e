package dev.fovea.explain;

/**
 * The gradient CAMs that weigh each channel of the layer as a whole, {@code sum_k w_k A_k}: {@link GradCam},
 * {@link GradCamPlusPlus}, {@link XGradCam}, which differ only in their weights.
 */
abstract class ChannelWeightedCam extends GradientCam {
    /** Channel weights {@code [K]} of one sample from its activations and gradient, each {@code K*hw} values at {@code off}. */
    abstract double[] weights(float[] a, float[] g, int off, int k, int hw);

    @Override
    final void map(float[] a, float[] g, int i, int k, int hw, float[] out) {
        weighted(a, i, k, hw, weights(a, g, i * k * hw, k, hw), out);
    }
}
