package dev.fovea.explain;

/**
 * Grad-CAM of Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization" (2017): channel weights {@code w_k = (1/hw) sum_ij dS_t/dA_k[i,j]} (global-average-pooled
 * gradients), map {@code ReLU(sum_k w_k A_k)} at a convolutional layer ({@code layer}, default the last layer with
 * output {@code [N,C,h,w]}), upsampled to the input's size. Unsigned. Input {@code [N,C,H,W]}, maps
 * {@code [N,1,H,W]}. See {@link CamBase}.
 */
final class GradCam extends ChannelWeightedCam {
    @Override
    public String name() {
        return "grad-cam";
    }

    @Override
    public String describe() {
        return "Grad-CAM, Selvaraju et al. 2017: ReLU(sum_k mean(dS/dA_k) A_k) at --layer (default the last convolutional), upsampled. "
                + "Where the class evidence lies. Unsigned, [N,1,H,W].";
    }

    @Override
    double[] weights(float[] a, float[] g, int off, int k, int hw) {
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int p = 0; p < hw; p++) {
                s += g[off + c * hw + p];
            }
            w[c] = s / hw;
        }
        return w;
    }
}
