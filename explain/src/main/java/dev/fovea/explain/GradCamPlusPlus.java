package dev.fovea.explain;

/**
 * Grad-CAM++ of Chattopadhay et al., "Grad-CAM++: Improved Visual Explanations for Deep Convolutional Networks"
 * (WACV 2018): channel weights {@code w_k = sum_ij alpha_k[i,j] ReLU(g_k[i,j])} with
 * {@code alpha = g^2 / (2 g^2 + (sum_ij A_k) g^3 + 1e-7)} ({@code alpha = 0} where {@code g = 0}),
 * {@code g = dS_t/dA}: the paper's closed form for an exponential score, applied to the score's own gradient as
 * pytorch-grad-cam does. Map {@code ReLU(sum_k w_k A_k)}, upsampled as {@link GradCam}. Unsigned. Input
 * {@code [N,C,H,W]}, maps {@code [N,1,H,W]}.
 */
final class GradCamPlusPlus extends ChannelWeightedCam {
    @Override
    public String name() {
        return "grad-cam++";
    }

    @Override
    public String describe() {
        return "Grad-CAM++, Chattopadhay et al. 2018: Grad-CAM with pixel-weighted positive gradients (better for several objects). "
                + "Unsigned, [N,1,H,W].";
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
                double gv = g[off + c * hw + p];
                if (gv != 0) {
                    double g2 = gv * gv;
                    double alpha = g2 / (2 * g2 + sumA * g2 * gv + 1e-7);
                    s += alpha * Math.max(0, gv);
                }
            }
            w[c] = s;
        }
        return w;
    }
}
