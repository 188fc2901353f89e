package dev.fovea.kernels;

/**
 * Stride-1 convolution of one image without a column matrix. The image is copied once into a zero-padded buffer
 * {@code [C][Hp][Wp]}; output positions are numbered along the padded width ({@code j = oy*Wp + ox}), so that
 * the column-matrix row of kernel tap {@code (c,u,v)} is the padded buffer itself from offset
 * {@code c*Hp*Wp + u*Wp + v}. The GEMM micro-kernel reads those rows in place ({@link Kernels#runIndirect}); the
 * {@code K-1} positions at the end of each output row that fall in the padding are computed and dropped.
 *
 * <p>A convolution at stride {@code s} runs the same way over the padded image split into phase planes (the rows
 * {@code r} and columns {@code q} of each residue {@code r % s}, {@code q % s}, side by side): in those planes
 * every tap is a stride-1 read ({@link #rowOffsets(int, int, int, int, int)}).
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

    /**
     * Rows (or columns) of one phase plane of a padded side of {@code hp} at stride {@code s}: the padded rows
     * {@code r} with {@code r % s} the same, {@code r / s} numbering them.
     */
    public static int planeSide(int hp, int stride) {
        return (hp + stride - 1) / stride;
    }

    /** Phases each way a {@code K}-wide kernel at stride {@code s} reads: {@code min(K, s)}. */
    public static int phases(int kernel, int stride) {
        return Math.min(kernel, stride);
    }

    /**
     * Offsets of the taps {@code (c,u,v)}, in that order, in a padded buffer laid out by {@link #pad(float[], int,
     * int, int, int, int, int, int, float[])} for stride {@code s}: as phase planes {@code [a][b][C][Hq][Wq]}
     * ({@code a, b < min(K, s)}) of the padded rows {@code r = s*i + a} and columns {@code q = s*j + b}, so that
     * tap {@code (c,u,v)} of output {@code (oy, ox)} reads plane {@code (u%s, v%s)} at {@code (oy + u/s, ox + v/s)}:
     * a stride-1 read, and the output positions run along the plane width {@code Wq} ({@code j = oy*Wq + ox}).
     * Stride 1 is the plain padded image.
     */
    public static int[] rowOffsets(int channels, int hp, int wp, int kernel, int stride) {
        if (stride == 1) {
            return rowOffsets(channels, hp, wp, kernel);
        }
        int hq = planeSide(hp, stride);
        int wq = planeSide(wp, stride);
        int ph = phases(kernel, stride);
        int plane = channels * hq * wq;
        int[] off = new int[channels * kernel * kernel];
        int t = 0;
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    off[t++] = ((u % stride) * ph + v % stride) * plane + c * hq * wq + (u / stride) * wq + v / stride;
                }
            }
        }
        return off;
    }

    /** Floats of a padded buffer of {@link #rowOffsets(int, int, int, int, int)}'s layout, with the kernel's slack. */
    public static int paddedSize(int channels, int hp, int wp, int kernel, int stride) {
        if (stride == 1) {
            return paddedSize(channels, hp, wp);
        }
        int ph = phases(kernel, stride);
        return ph * ph * channels * planeSide(hp, stride) * planeSide(wp, stride) + Kernels.NR;
    }

    /**
     * {@code x[xOff..]} ({@code [C][H][W]}) padded by {@code P} with zeros and laid out in the phase planes of
     * {@link #rowOffsets(int, int, int, int, int)} into {@code dst}; only the phases the kernel reads are kept.
     */
    public static void pad(float[] x, int xOff, int c, int h, int w, int p, int kernel, int stride, float[] dst) {
        if (stride == 1) {
            pad(x, xOff, c, h, w, p, dst);
            return;
        }
        int hp = h + 2 * p;
        int wp = w + 2 * p;
        int hq = planeSide(hp, stride);
        int wq = planeSide(wp, stride);
        int ph = phases(kernel, stride);
        int plane = c * hq * wq;
        java.util.Arrays.fill(dst, 0, paddedSize(c, hp, wp, kernel, stride), 0f);
        // phase b of a row: the columns x = x0[b], x0[b] + s, ... (padded q = x + p, q % s == b) from plane column q / s
        int[] x0 = new int[ph];
        int[] col0 = new int[ph];
        int[] count = new int[ph];
        for (int b = 0; b < ph; b++) {
            x0[b] = Math.floorMod(b - p, stride);
            col0[b] = (x0[b] + p) / stride;
            count[b] = Math.max(0, (w - x0[b] + stride - 1) / stride);
        }
        for (int a = 0; a < ph; a++) {
            for (int pr = 0; pr < hq; pr++) {
                int i = pr * stride + a - p;
                if (i < 0 || i >= h) {
                    continue;
                }
                for (int ch = 0; ch < c; ch++) {
                    int src = xOff + (ch * h + i) * w;
                    int row = a * ph * plane + ch * hq * wq + pr * wq;
                    for (int b = 0; b < ph; b++) {
                        int d = row + b * plane + col0[b];
                        int from = src + x0[b];
                        int n = count[b];
                        if (stride == 2) {
                            for (int j = 0; j < n; j++) {
                                dst[d + j] = x[from + 2 * j];
                            }
                        } else {
                            for (int j = 0; j < n; j++) {
                                dst[d + j] = x[from + j * stride];
                            }
                        }
                    }
                }
            }
        }
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
        convolve(packedW, m, k, rowOff, xp, oh, ow, wp, acc, bias, null, relu, y, yOff);
    }

    /**
     * As {@link #convolve(float[], int, int, int[], float[], int, int, int, float[], float[], boolean, float[], int)},
     * with {@code res[yOff..]} (laid out as {@code y}, may be {@code null}) added to each output before the ReLU: a
     * residual block's sum in the same pass.
     */
    public static void convolve(float[] packedW, int m, int k, int[] rowOff, float[] xp, int oh, int ow, int wp,
                                float[] acc, float[] bias, float[] res, boolean relu, float[] y, int yOff) {
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
            if (res != null) {
                float b = bias == null ? 0f : bias[o];
                for (int oy = 0; oy < oh; oy++) {
                    int at = yOff + (o * oh + oy) * ow;
                    Elementwise.addSum(acc, src + oy * wp, ow, b, res, at, relu, y, at);
                }
                continue;
            }
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
