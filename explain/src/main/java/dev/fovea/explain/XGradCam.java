package dev.fovea.explain;

/**
 * XGrad-CAM of Fu et al., "Axiom-based Grad-CAM: Towards Accurate Visualization and Explanation of CNNs" (BMVC
 * 2020): channel weights {@code w_k = sum_ij (A_k[i,j] / (sum_ij A_k[i,j] + 1e-7)) G_k[i,j]}, {@code G = dS_t/dA}
 * (the activation-weighted gradient, which makes the map satisfy the paper's sensitivity and conservation axioms
 * for ReLU networks), map {@code ReLU(sum_k w_k A_k)}, upsampled as {@link CamBase}. The {@code 1e-7} is
 * pytorch-grad-cam's. Option {@code layer} (default the last convolutional). Unsigned. Input {@code [N,C,H,W]},
 * maps {@code [N,1,H,W]}.
 */
final class XGradCam extends ChannelWeightedCam {
    @Override
    public String name() {
        return "xgrad-cam";
    }

    @Override
    public String describe() {
        return "XGrad-CAM, Fu et al. 2020: Grad-CAM with activation-weighted gradients (its conservation axiom) at --layer. Unsigned, [N,1,H,W].";
    }

    @Override
    double[] weights(float[] a, float[] g, int off, int k, int hw) {
        double[] w = new double[k];
        for (int c = 0; c < k; c++) {
            double sumA = 0;
            for (int p = 0; p < hw; p++) {
                sumA += a[off + c * hw + p];
            }
            double s = 0;
            for (int p = 0; p < hw; p++) {
                s += g[off + c * hw + p] * a[off + c * hw + p];
            }
            w[c] = s / (sumA + 1e-7);
        }
        return w;
    }
}
