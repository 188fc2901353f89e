package dev.fovea.kernels;

/**
 * Stride-1 convolution of one image without a column matrix. The image is copied once into a zero-padded buffer
 * {@code [C][Hp][Wp]}; output positions are numbered along the padded width ({@code j = oy*Wp + ox}), so that
 * the column-matrix row of kernel tap {@code (c,u,v)} is the padded buffer itself from offset
 * {@code c*Hp*Wp + u*Wp + v}. The GEMM micro-kernel reads those rows in place ({@link Kernels#runIndirect}); the
 * {@code K-1} positions at the end of each output row that fall in the padding are computed and dropped.
 *
 * <p>Each output is {@code bias + s} with {@code s} summed over the taps in order with fused multiply-adds,
 * whatever the kernel, tiling or thread count.
 */
public final class DirectConv {
    /** Each thread's tile for the edges of the output. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[Kernels.MR * Kernels.NR]);

    private DirectConv() {
    }

    /** Rows of a weight panel. */
    public static int panelRows() {
        return Kernels.MR;
    }

    /** Weights {@code [M][K]} (row-major) as panels of {@link #panelRows()} rows over the whole depth, zero-padded. */
    public static float[] packWeights(float[] w, int m, int k) {
        return packWeights(w, m, k, new float[packedSize(m, k)]);
    }

    /** Floats of packed weights {@code [M][K]}. */
    public static int packedSize(int m, int k) {
        return (m + Kernels.MR - 1) / Kernels.MR * Kernels.MR * k;
    }

    /** {@link #packWeights(float[], int, int)} into {@code p} (of {@link #packedSize} floats). */
    public static float[] packWeights(float[] w, int m, int k, float[] p) {
        int mr = Kernels.MR;
        int panels = (m + mr - 1) / mr;
        java.util.Arrays.fill(p, 0f);
        for (int q = 0; q < panels; q++) {
            for (int r = 0; r < mr && q * mr + r < m; r++) {
                int src = (q * mr + r) * k;
                int dst = q * k * mr + r;
                for (int kk = 0; kk < k; kk++) {
                    p[dst + kk * mr] = w[src + kk];
                }
            }
        }
        return p;
    }

    /** Offsets of the taps {@code (c,u,v)}, in that order, in a padded buffer {@code [C][Hp][Wp]}. */
    public static int[] rowOffsets(int channels, int hp, int wp, int kernel) {
        int[] off = new int[channels * kernel * kernel];
        int t = 0;
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    off[t++] = c * hp * wp + u * wp + v;
                }
            }
        }
        return off;
    }

    /** Floats a padded buffer needs: the image and room for the micro-kernel's last, partly used, row. */
    public static int paddedSize(int channels, int hp, int wp) {
        return channels * hp * wp + Kernels.NR;
    }

    /** Floats of the accumulator for {@code m} output channels. */
    public static int accumulatorSize(int m, int oh, int ow, int wp) {
        return m * positions(oh, ow, wp);
    }

    private static int positions(int oh, int ow, int wp) {
        return (oh - 1) * wp + ow;
    }

    /** {@code x[xOff..]} ({@code [C][H][W]}) into {@code dst} as {@code [C][H+2P][W+2P]} with a zero border. */
    public static void pad(float[] x, int xOff, int c, int h, int w, int p, float[] dst) {
        int hp = h + 2 * p;
        int wp = w + 2 * p;
        java.util.Arrays.fill(dst, 0, paddedSize(c, hp, wp), 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(x, xOff + (ch * h + i) * w, dst, ch * hp * wp + (i + p) * wp + p, w);
            }
        }
    }

    /**
     * {@code y[yOff + (o*OH + oy)*OW + ox] = bias[o] + sum_t W[o][t] * xp[rowOff[t] + oy*Wp + ox]} for the
     * {@code m} output channels ({@code bias} may be {@code null}), with {@code packedW} from
     * {@link #packWeights}{@code (w, m, k)} and {@code acc} of {@link #accumulatorSize} floats.
     */
    public static void convolve(float[] packedW, int m, int k, int[] rowOff, float[] xp, int oh, int ow, int wp,
                                float[] acc, float[] bias, float[] y, int yOff) {
        convolve(packedW, m, k, rowOff, xp, oh, ow, wp, acc, bias, false, y, yOff);
    }

    /** As {@link #convolve(float[], int, int, int[], float[], int, int, int, float[], float[], float[], int)}, then
     *  {@code max(0, .)} (a NaN gives 0) when {@code relu}. */
    public static void convolve(float[] packedW, int m, int k, int[] rowOff, float[] xp, int oh, int ow, int wp,
                                float[] acc, float[] bias, boolean relu, float[] y, int yOff) {
        float[] tile = TILE.get();
        int n = positions(oh, ow, wp);
        int mr = Kernels.MR;
        int nrMax = Kernels.NR;
        int panels = (m + mr - 1) / mr;
        for (int q = 0; q < panels; q++) {
            int rows = Math.min(mr, m - q * mr);
            for (int j = 0; j < n; j += nrMax) {
                Kernels.runIndirect(k, packedW, q * k * mr, xp, rowOff, j, acc, q * mr * n + j, n, rows,
                        Math.min(nrMax, n - j), tile);
            }
        }
        for (int o = 0; o < m; o++) {
            // bias (and ReLU) over the channel's whole run, the padding columns too, then its rows out
            int src = o * n;
            if (relu) {
                Elementwise.addRelu(acc, src, n, bias == null ? 0f : bias[o], acc, src);
            } else if (bias != null) {
                Elementwise.affine(acc, src, n, 1f, bias[o], acc);
            }
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(acc, src + oy * wp, y, yOff + (o * oh + oy) * ow, ow);
            }
        }
    }

}
