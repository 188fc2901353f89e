package dev.fovea.explain.visualize;

import dev.fovea.tensor.Tensor;

/**
 * Separable Gaussian blur of each plane of a {@code [N,C,H,W]} batch, the image border repeated; kernel radius
 * {@code ceil(3 sigma)}. Applied every few steps of activation maximisation it damps the high frequencies that
 * gradient ascent otherwise fills the image with (Yosinski et al. 2015).
 */
public final class Blur {
    private Blur() {
    }

    /** A blurred copy; {@code sigma <= 0} returns a plain copy. */
    public static Tensor gaussian(Tensor x, double sigma) {
        x.shape().requireRank(4, "blur", "[N,C,H,W]");
        if (!(sigma > 0)) {
            return x.copy();
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        int h = x.dim(2);
        int w = x.dim(3);
        int planes = x.dim(0) * x.dim(1);
        float[] in = x.data();
        float[] tmp = new float[in.length];
        float[] out = new float[in.length];
        for (int p = 0; p < planes; p++) {
            int o = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double v = 0;
                    for (int j = -r; j <= r; j++) {
                        v += k[j + r] * in[o + y * w + Math.min(w - 1, Math.max(0, xx + j))];
                    }
                    tmp[o + y * w + xx] = (float) v;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double v = 0;
                    for (int j = -r; j <= r; j++) {
                        v += k[j + r] * tmp[o + Math.min(h - 1, Math.max(0, y + j)) * w + xx];
                    }
                    out[o + y * w + xx] = (float) v;
                }
            }
        }
        return new Tensor(x.shape(), out);
    }
}
