package dev.fovea.explain;

/**
 * LayerCAM of Jiang et al., "LayerCAM: Exploring Hierarchical Class Activation Maps for Localization" (IEEE TIP
 * 2021): every position weighted by its own positive gradient, {@code M = ReLU(sum_k ReLU(G_k) * A_k)},
 * {@code G = dS_t/dA} (no averaging over positions, so shallow layers give fine-grained maps), upsampled as
 * {@link CamBase}. pytorch-grad-cam's definition; the paper's multi-layer fusion (maps of several layers combined)
 * is left to the caller. Option {@code layer} (default the last convolutional). Unsigned. Input {@code [N,C,H,W]},
 * maps {@code [N,1,H,W]}.
 */
final class LayerCam extends GradientCam {
    @Override
    public String name() {
        return "layer-cam";
    }

    @Override
    public String describe() {
        return "LayerCAM, Jiang et al. 2021: sum_k ReLU(dS/dA_k) * A_k position by position at --layer (fine maps at shallow layers). "
                + "Unsigned, [N,1,H,W].";
    }

    @Override
    void map(float[] a, float[] g, int i, int k, int hw, float[] out) {
        int off = i * k * hw;
        for (int p = 0; p < hw; p++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += Math.max(0f, g[off + c * hw + p]) * a[off + c * hw + p];
            }
            out[i * hw + p] = (float) s;
        }
    }
}
