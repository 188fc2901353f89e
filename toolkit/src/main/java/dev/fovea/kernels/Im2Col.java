package dev.fovea.kernels;

/**
 * Unfolds a batch of images into the column matrix of a convolution, and folds it back.
 *
 * <p>Input {@code [N,C,H,W]}; the column matrix is {@code [C*KH*KW, N*OH*OW]}: row {@code (c*KH+ki)*KW+kj},
 * column {@code n*OH*OW + oh*OW + ow} holds {@code x[n, c, oh*S-P+ki, ow*S-P+kj]} (zero outside the image).
 * With the weights as a {@code [Cout, C*KH*KW]} matrix, convolution is one matrix product. {@link #col2im} is the
 * adjoint: it adds every column entry back onto the pixel it came from.
 */
public final class Im2Col {
    private Im2Col() {
    }

    /** Output size along one axis: {@code (in - k + 2p) / s + 1}. */
    public static int outSize(int in, int k, int s, int p) {
        return (in - k + 2 * p) / s + 1;
    }

    public static void im2col(float[] x, int n, int c, int h, int w, int kh, int kw, int s, int p, float[] col) {
        int oh = outSize(h, kh, s, p);
        int ow = outSize(w, kw, s, p);
        int cols = n * oh * ow;
        int rows = c * kh * kw;
        Parallel.forRange(rows, Parallel.grain(rows, 1), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int kj = r % kw;
                int ki = (r / kw) % kh;
                int ch = r / (kw * kh);
                int base = r * cols;
                for (int b = 0; b < n; b++) {
                    int src = (b * c + ch) * h * w;
                    int dst = base + b * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int iy = y * s - p + ki;
                        int d = dst + y * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, d, d + ow, 0f);
                            continue;
                        }
                        int srow = src + iy * w;
                        for (int xo = 0; xo < ow; xo++) {
                            int ix = xo * s - p + kj;
                            col[d + xo] = ix >= 0 && ix < w ? x[srow + ix] : 0f;
                        }
                    }
                }
            }
        });
    }

    /** Sets {@code x} (zeroed first) to the adjoint of {@link #im2col} applied to {@code col}. */
    public static void col2im(float[] col, int n, int c, int h, int w, int kh, int kw, int s, int p, float[] x) {
        int oh = outSize(h, kh, s, p);
        int ow = outSize(w, kw, s, p);
        int cols = n * oh * ow;
        Parallel.forRange(c, Parallel.grain(c, 1), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                for (int b = 0; b < n; b++) {
                    java.util.Arrays.fill(x, (b * c + ch) * h * w, (b * c + ch + 1) * h * w, 0f);
                }
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        int base = ((ch * kh + ki) * kw + kj) * cols;
                        for (int b = 0; b < n; b++) {
                            int dst = (b * c + ch) * h * w;
                            int src = base + b * oh * ow;
                            for (int y = 0; y < oh; y++) {
                                int iy = y * s - p + ki;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                int drow = dst + iy * w;
                                int srow = src + y * ow;
                                for (int xo = 0; xo < ow; xo++) {
                                    int ix = xo * s - p + kj;
                                    if (ix >= 0 && ix < w) {
                                        x[drow + ix] += col[srow + xo];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@link #im2col} of one image {@code x[xOff ..]} ({@code [C,H,W]}) into columns {@code [colOff, colOff+OH*OW)}
     * of a column matrix with row length {@code ldcol}, on the calling thread.
     */
    public static void im2colImage(float[] x, int xOff, int c, int h, int w, int kh, int kw, int s, int p,
                                   float[] col, int colOff, int ldcol) {
        int oh = outSize(h, kh, s, p);
        int ow = outSize(w, kw, s, p);
        for (int r = 0; r < c * kh * kw; r++) {
            int kj = r % kw;
            int ki = (r / kw) % kh;
            int src = xOff + (r / (kw * kh)) * h * w;
            int dst = colOff + r * ldcol;
            for (int y = 0; y < oh; y++) {
                int iy = y * s - p + ki;
                int d = dst + y * ow;
                if (iy < 0 || iy >= h) {
                    java.util.Arrays.fill(col, d, d + ow, 0f);
                    continue;
                }
                int srow = src + iy * w;
                if (s == 1) {
                    int lo = Math.max(0, p - kj);
                    int hi = Math.min(ow, w + p - kj);
                    // the few padding entries at either end by hand: a call per row costs more than they do
                    for (int t = d, e = d + Math.min(lo, ow); t < e; t++) {
                        col[t] = 0f;
                    }
                    if (hi > lo) {
                        System.arraycopy(x, srow + lo - p + kj, col, d + lo, hi - lo);
                    }
                    for (int t = d + Math.max(Math.max(hi, lo), 0); t < d + ow; t++) {
                        col[t] = 0f;
                    }
                } else {
                    for (int xo = 0; xo < ow; xo++) {
                        int ix = xo * s - p + kj;
                        col[d + xo] = ix >= 0 && ix < w ? x[srow + ix] : 0f;
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2colImage}: sets image {@code x[xOff ..]} ({@code [C,H,W]}, zeroed first) to the sum
     * of columns {@code [colOff, colOff+OH*OW)} of {@code col} folded back, on the calling thread.
     */
    public static void col2imImage(float[] col, int colOff, int ldcol, int c, int h, int w, int kh, int kw, int s, int p,
                                   float[] x, int xOff) {
        int oh = outSize(h, kh, s, p);
        int ow = outSize(w, kw, s, p);
        java.util.Arrays.fill(x, xOff, xOff + c * h * w, 0f);
        for (int r = 0; r < c * kh * kw; r++) {
            int kj = r % kw;
            int ki = (r / kw) % kh;
            int dst = xOff + (r / (kw * kh)) * h * w;
            int src = colOff + r * ldcol;
            for (int y = 0; y < oh; y++) {
                int iy = y * s - p + ki;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                int drow = dst + iy * w;
                int srow = src + y * ow;
                if (s == 1) {
                    // x[iy, xo - p + kj] over the output columns that land inside the row
                    int lo = Math.max(0, p - kj);
                    int hi = Math.min(ow, w + p - kj);
                    int shift = kj - p;
                    for (int xo = lo; xo < hi; xo++) {
                        x[drow + xo + shift] += col[srow + xo];
                    }
                    continue;
                }
                for (int xo = 0; xo < ow; xo++) {
                    int ix = xo * s - p + kj;
                    if (ix >= 0 && ix < w) {
                        x[drow + ix] += col[srow + xo];
                    }
                }
            }
        }
    }
}
