package dev.fovea.explain.trust;

import java.util.Arrays;

/**
 * How alike two attribution maps are: Spearman's rank correlation and the structural similarity index (SSIM,
 * Wang et al. 2004), as in the sanity checks of Adebayo et al. (2018).
 */
public final class Similarity {
    private Similarity() {
    }

    /**
     * Spearman's rank correlation of {@code a} and {@code b} (the Pearson correlation of their ranks, ties given
     * their mean rank); 0 when either is constant.
     */
    public static double spearman(float[] a, float[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("spearman: expected two non-empty arrays of one length, got " + a.length + " and " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    static double[] ranks(float[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Float.compare(v[x], v[y]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    /**
     * SSIM of two {@code h x w} maps with values in {@code [0,1]}: the mean over pixels of
     * {@code (2 mu_a mu_b + C1)(2 s_ab + C2) / ((mu_a^2 + mu_b^2 + C1)(s_a^2 + s_b^2 + C2))} with local statistics
     * under a Gaussian window (sigma 1.5, radius 3, renormalised at the border), {@code C1 = 0.01^2},
     * {@code C2 = 0.03^2} (scikit-image's defaults for data range 1, with a smaller window for small images).
     */
    public static double ssim(float[] a, float[] b, int h, int w) {
        if (a.length != h * w || b.length != h * w) {
            throw new IllegalArgumentException("ssim: expected two maps of " + h + "x" + w + ", got " + a.length + " and " + b.length + " values");
        }
        int r = 3;
        double[] k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * 1.5 * 1.5));
        }
        double c1 = 1e-4;
        double c2 = 9e-4;
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double wsum = 0;
                double ma = 0;
                double mb = 0;
                double aa = 0;
                double bb = 0;
                double ab = 0;
                for (int dy = -r; dy <= r; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        if (xx < 0 || xx >= w) {
                            continue;
                        }
                        double wt = k[dy + r] * k[dx + r];
                        double va = a[yy * w + xx];
                        double vb = b[yy * w + xx];
                        wsum += wt;
                        ma += wt * va;
                        mb += wt * vb;
                        aa += wt * va * va;
                        bb += wt * vb * vb;
                        ab += wt * va * vb;
                    }
                }
                ma /= wsum;
                mb /= wsum;
                double va = aa / wsum - ma * ma;
                double vb = bb / wsum - mb * mb;
                double cov = ab / wsum - ma * mb;
                sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            }
        }
        return sum / (h * w);
    }

    /** A map {@code [C,H,W]} at {@code off} reduced to {@code H x W}: the sum over channels of the absolute values. */
    public static float[] absPlane(float[] maps, int off, int c, int hw) {
        float[] out = new float[hw];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < hw; i++) {
                out[i] += Math.abs(maps[off + ch * hw + i]);
            }
        }
        return out;
    }

    /** {@code v / max(v)}, or zeros when the maximum is not positive. */
    public static float[] scaledToMax(float[] v) {
        float max = 0;
        for (float f : v) {
            max = Math.max(max, f);
        }
        float[] out = new float[v.length];
        if (max > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] / max;
            }
        }
        return out;
    }
}
