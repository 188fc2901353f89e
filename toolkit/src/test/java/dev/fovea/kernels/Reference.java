package dev.fovea.kernels;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * Naive direct-loop kernels, accumulated in double: the definitions the fast kernels and layers are tested
 * against. Nothing here is clever; every formula is the textbook one, written out index by index.
 *
 * <p>Convolution is cross-correlation (PyTorch's {@code nn.Conv2d}):
 * {@code y[n,o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] * x[n,c,i*S-P+u,j*S-P+v]}, with {@code x} zero outside the
 * image. Transposed convolution (PyTorch's {@code nn.ConvTranspose2d}, weight {@code [Cin,Cout,K,K]}) scatters
 * each input pixel: {@code y[n,o,i*S-P+u,j*S-P+v] += x[n,c,i,j] * w[c,o,u,v]}, output {@code (H-1)*S-2P+K}.
 */
public final class Reference {
    private Reference() {
    }

    /** {@code floor((in - k + 2p) / s) + 1}, written without relying on integer division of negatives. */
    public static int outSize(int in, int k, int s, int p) {
        return Math.floorDiv(in - k + 2 * p, s) + 1;
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on row-major arrays with offsets and leading dimensions
     * (BLAS semantics: with {@code beta == 0} the old contents of {@code C} are ignored). Returns a copy of the
     * whole {@code c} array with the {@code m x n} block replaced; entries outside the block are copied unchanged.
     */
    public static double[] gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                double beta, float[] c, int cOff, int ldc) {
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i];
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    double av = transA ? a[aOff + l * lda + i] : a[aOff + i * lda + l];
                    double bv = transB ? b[bOff + j * ldb + l] : b[bOff + l * ldb + j];
                    s += av * bv;
                }
                int at = cOff + i * ldc + j;
                out[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
            }
        }
        return out;
    }

    /** The column matrix of {@link Im2Col#im2col}, entry by entry from its definition. */
    public static float[] im2col(float[] x, int n, int c, int h, int w, int kh, int kw, int s, int p) {
        int oh = outSize(h, kh, s, p);
        int ow = outSize(w, kw, s, p);
        int cols = n * oh * ow;
        float[] col = new float[c * kh * kw * cols];
        for (int ch = 0; ch < c; ch++) {
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++) {
                    int row = (ch * kh + u) * kw + v;
                    for (int b = 0; b < n; b++) {
                        for (int i = 0; i < oh; i++) {
                            for (int j = 0; j < ow; j++) {
                                int y = i * s - p + u;
                                int xx = j * s - p + v;
                                boolean inside = y >= 0 && y < h && xx >= 0 && xx < w;
                                col[row * cols + (b * oh + i) * ow + j] = inside ? x[((b * c + ch) * h + y) * w + xx] : 0f;
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /** Convolution of {@code x [N,C,H,W]} with {@code w [O,C,K,K]} and optional {@code bias [O]}: {@code [N,O,OH,OW]}. */
    public static double[] conv2d(Tensor x, Tensor w, Tensor bias, int s, int p) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(0), k = w.dim(2);
        int oh = outSize(h, k, s, p), ow = outSize(wd, k, s, p);
        double[] y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0 : bias.data()[oc];
                        for (int ic = 0; ic < c; ic++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    sum += (double) at(x, b, ic, i * s - p + u, j * s - p + v) * w.get(oc, ic, u, v);
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** {@code dL/dx} of {@link #conv2d} for the upstream gradient {@code g [N,O,OH,OW]}. */
    public static double[] conv2dInputGrad(Tensor g, Tensor w, Shape xShape, int s, int p) {
        int n = xShape.dim(0), c = xShape.dim(1), h = xShape.dim(2), wd = xShape.dim(3);
        int o = w.dim(0), k = w.dim(2);
        int oh = g.dim(2), ow = g.dim(3);
        double[] dx = new double[xShape.size()];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double gv = g.get(b, oc, i, j);
                        for (int ic = 0; ic < c; ic++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int y = i * s - p + u, xx = j * s - p + v;
                                    if (y >= 0 && y < h && xx >= 0 && xx < wd) {
                                        dx[((b * c + ic) * h + y) * wd + xx] += gv * w.get(oc, ic, u, v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** {@code dL/dw [O,C,K,K]} of {@link #conv2d} for the upstream gradient {@code g [N,O,OH,OW]}. */
    public static double[] conv2dWeightGrad(Tensor x, Tensor g, int k, int s, int p) {
        int n = x.dim(0), c = x.dim(1);
        int o = g.dim(1), oh = g.dim(2), ow = g.dim(3);
        double[] dw = new double[o * c * k * k];
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < c; ic++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < oh; i++) {
                                for (int j = 0; j < ow; j++) {
                                    sum += (double) g.get(b, oc, i, j) * at(x, b, ic, i * s - p + u, j * s - p + v);
                                }
                            }
                        }
                        dw[((oc * c + ic) * k + u) * k + v] = sum;
                    }
                }
            }
        }
        return dw;
    }

    /** {@code dL/db [O]}: the upstream gradient summed over batch and positions. */
    public static double[] conv2dBiasGrad(Tensor g) {
        int n = g.dim(0), o = g.dim(1), hw = g.dim(2) * g.dim(3);
        double[] db = new double[o];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int q = 0; q < hw; q++) {
                    db[oc] += g.data()[(b * o + oc) * hw + q];
                }
            }
        }
        return db;
    }

    /** Transposed convolution of {@code x [N,C,H,W]} with {@code w [C,O,K,K]}: {@code [N,O,(H-1)S-2P+K,(W-1)S-2P+K]}. */
    public static double[] convTranspose2d(Tensor x, Tensor w, Tensor bias, int s, int p) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = w.dim(1), k = w.dim(2);
        int oh = (h - 1) * s - 2 * p + k, ow = (wd - 1) * s - 2 * p + k;
        double[] y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                double bv = bias == null ? 0 : bias.data()[oc];
                for (int q = 0; q < oh * ow; q++) {
                    y[(b * o + oc) * oh * ow + q] = bv;
                }
            }
            for (int ic = 0; ic < c; ic++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double xv = x.get(b, ic, i, j);
                        for (int oc = 0; oc < o; oc++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    int yy = i * s - p + u, xx = j * s - p + v;
                                    if (yy >= 0 && yy < oh && xx >= 0 && xx < ow) {
                                        y[((b * o + oc) * oh + yy) * ow + xx] += xv * w.get(ic, oc, u, v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** {@code dL/dx} of {@link #convTranspose2d}: {@code dx[n,c,i,j] = sum_{o,u,v} g[n,o,i*S-P+u,j*S-P+v] w[c,o,u,v]}. */
    public static double[] convTranspose2dInputGrad(Tensor g, Tensor w, Shape xShape, int s, int p) {
        int n = xShape.dim(0), c = xShape.dim(1), h = xShape.dim(2), wd = xShape.dim(3);
        int o = w.dim(1), k = w.dim(2);
        double[] dx = new double[xShape.size()];
        for (int b = 0; b < n; b++) {
            for (int ic = 0; ic < c; ic++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < wd; j++) {
                        double sum = 0;
                        for (int oc = 0; oc < o; oc++) {
                            for (int u = 0; u < k; u++) {
                                for (int v = 0; v < k; v++) {
                                    sum += (double) at(g, b, oc, i * s - p + u, j * s - p + v) * w.get(ic, oc, u, v);
                                }
                            }
                        }
                        dx[((b * c + ic) * h + i) * wd + j] = sum;
                    }
                }
            }
        }
        return dx;
    }

    /** {@code dL/dw [C,O,K,K]} of {@link #convTranspose2d}: {@code sum_{n,i,j} x[n,c,i,j] g[n,o,i*S-P+u,j*S-P+v]}. */
    public static double[] convTranspose2dWeightGrad(Tensor x, Tensor g, int k, int s, int p) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
        int o = g.dim(1);
        double[] dw = new double[c * o * k * k];
        for (int ic = 0; ic < c; ic++) {
            for (int oc = 0; oc < o; oc++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        double sum = 0;
                        for (int b = 0; b < n; b++) {
                            for (int i = 0; i < h; i++) {
                                for (int j = 0; j < wd; j++) {
                                    sum += (double) x.get(b, ic, i, j) * at(g, b, oc, i * s - p + u, j * s - p + v);
                                }
                            }
                        }
                        dw[((ic * o + oc) * k + u) * k + v] = sum;
                    }
                }
            }
        }
        return dw;
    }

    /**
     * He et al.'s "option A" shortcut: {@code y[n,c,i,j] = x[n,c-P,i*S,j*S]} for {@code P <= c < C+P}, else 0;
     * output {@code [N, C+2P, ceil(H/S), ceil(W/S)]}.
     */
    public static double[] subsamplePad(Tensor x, int s, int pad) {
        int n = x.dim(0);
        int c = x.dim(1);
        int oc = c + 2 * pad;
        int oh = (x.dim(2) + s - 1) / s;
        int ow = (x.dim(3) + s - 1) / s;
        double[] y = new double[n * oc * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        boolean copied = o >= pad && o < c + pad;
                        y[((b * oc + o) * oh + i) * ow + j] = copied ? at(x, b, o - pad, i * s, j * s) : 0;
                    }
                }
            }
        }
        return y;
    }

    /**
     * The input gradient of {@link #subsamplePad}: {@code dx[n,c,u,v] = sum_{i,j: i*S = u, j*S = v} g[n,c+P,i,j]},
     * summed over every output position.
     */
    public static double[] subsamplePadInputGrad(Tensor g, Shape xShape, int s, int pad) {
        int c = xShape.dim(1);
        int h = xShape.dim(2);
        int w = xShape.dim(3);
        double[] dx = new double[xShape.size()];
        for (int b = 0; b < xShape.dim(0); b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int u = 0; u < h; u++) {
                    for (int v = 0; v < w; v++) {
                        double sum = 0;
                        for (int i = 0; i < g.dim(2); i++) {
                            for (int j = 0; j < g.dim(3); j++) {
                                if (i * s == u && j * s == v) {
                                    sum += at(g, b, ch + pad, i, j);
                                }
                            }
                        }
                        dx[((b * c + ch) * h + u) * w + v] = sum;
                    }
                }
            }
        }
        return dx;
    }

    /** {@code t[n,c,i,j]}, zero outside the image (zero padding). */
    static float at(Tensor t, int n, int c, int i, int j) {
        if (i < 0 || i >= t.dim(2) || j < 0 || j >= t.dim(3)) {
            return 0f;
        }
        return t.data()[((n * t.dim(1) + c) * t.dim(2) + i) * t.dim(3) + j];
    }

    /** {@code <a, b>} in double. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code <a, b>} in double. */
    public static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
