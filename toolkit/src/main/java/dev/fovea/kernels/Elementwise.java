package dev.fovea.kernels;

/**
 * Element-wise and reduction loops of the layers (ReLU, batch-norm statistics and updates), on the Vector API
 * when {@link Gemm#vectorized()} (module present, {@code fovea.simd} not {@code false}), else in scalar code with
 * the same arithmetic: results are bit-identical either way.
 *
 * <p>Sums run in {@link #LANES} float partial sums, entry {@code i} of a run going to partial {@code i mod LANES},
 * and the partials are then added in order in double precision. That order depends only on the run, never on the
 * thread count or the kernel; the loops are branch-free, so random signs cost no mispredicted branches.
 */
public final class Elementwise {
    /** Partial sums of a reduction. */
    public static final int LANES = 16;
    private static final boolean REDUCE = Kernels.VECTOR && VectorElementwise.REDUCES;
    /** Each thread's partial sums, two sets of {@link #LANES}. */
    private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[LANES]);
    private static final ThreadLocal<float[]> MORE_PARTIALS = ThreadLocal.withInitial(() -> new float[LANES]);

    private Elementwise() {
    }

    /** {@code out[i] = x[i] > 0 ? x[i] : 0} over {@code [from, to)} (a NaN gives 0). */
    public static void relu(float[] x, float[] out, int from, int to) {
        if (Kernels.VECTOR) {
            VectorElementwise.relu(x, out, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            out[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /** {@code out[outOff + i] = v > 0 ? v : 0} with {@code v = b + x[off + i]}, for {@code i < len}. */
    public static void addRelu(float[] x, int off, int len, float b, float[] out, int outOff) {
        if (Kernels.VECTOR) {
            VectorElementwise.addRelu(x, off, len, b, out, outOff);
            return;
        }
        for (int i = 0; i < len; i++) {
            float v = b + x[off + i];
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    /** {@code dx[i] = x[i] > 0 ? g[i] : 0} over {@code [from, to)}. */
    public static void reluBackward(float[] x, float[] g, float[] dx, int from, int to) {
        if (Kernels.VECTOR) {
            VectorElementwise.reluBackward(x, g, dx, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            dx[i] = x[i] > 0f ? g[i] : 0f;
        }
    }

    /**
     * {@code sum a[off + r*stride + i]} over {@code runs} runs of {@code len} entries: each run summed in the
     * order of the class comment, the runs' sums added in order in double precision.
     */
    public static double sum(float[] a, int off, int stride, int runs, int len) {
        float[] p = PARTIALS.get();
        double total = 0;
        for (int r = 0; r < runs; r++) {
            java.util.Arrays.fill(p, 0f);
            int o = off + r * stride;
            if (REDUCE) {
                VectorElementwise.sum(a, o, len, p);
            } else {
                int full = len - len % LANES;
                for (int i = 0; i < full; i += LANES) {
                    for (int l = 0; l < LANES; l++) {
                        p[l] += a[o + i + l];
                    }
                }
                for (int i = full; i < len; i++) {
                    p[i - full] += a[o + i];
                }
            }
            total += reduce(p);
        }
        return total;
    }

    /** As {@link #sum} of {@code (a - mean)^2}, each square in float. */
    public static double sumSquaredDeviations(float[] a, int off, int stride, int runs, int len, float mean) {
        float[] p = PARTIALS.get();
        double total = 0;
        for (int r = 0; r < runs; r++) {
            java.util.Arrays.fill(p, 0f);
            int o = off + r * stride;
            if (REDUCE) {
                VectorElementwise.sumSquaredDeviations(a, o, len, mean, p);
            } else {
                int full = len - len % LANES;
                for (int i = 0; i < full; i += LANES) {
                    for (int l = 0; l < LANES; l++) {
                        float d = a[o + i + l] - mean;
                        p[l] += d * d;
                    }
                }
                for (int i = full; i < len; i++) {
                    float d = a[o + i] - mean;
                    p[i - full] += d * d;
                }
            }
            total += reduce(p);
        }
        return total;
    }

    /**
     * As {@link #sum}, two sums at once: {@code sums[0] = sum g} and {@code sums[1] = sum g * h} (products in
     * float).
     */
    public static void sumAndDot(float[] g, float[] h, int off, int stride, int runs, int len, double[] sums) {
        float[] p = PARTIALS.get();
        float[] q = MORE_PARTIALS.get();
        double sg = 0;
        double sgh = 0;
        for (int r = 0; r < runs; r++) {
            java.util.Arrays.fill(p, 0f);
            java.util.Arrays.fill(q, 0f);
            int o = off + r * stride;
            if (REDUCE) {
                VectorElementwise.sumAndDot(g, h, o, len, p, q);
            } else {
                int full = len - len % LANES;
                for (int i = 0; i < full; i += LANES) {
                    for (int l = 0; l < LANES; l++) {
                        p[l] += g[o + i + l];
                        q[l] += g[o + i + l] * h[o + i + l];
                    }
                }
                for (int i = full; i < len; i++) {
                    p[i - full] += g[o + i];
                    q[i - full] += g[o + i] * h[o + i];
                }
            }
            sg += reduce(p);
            sgh += reduce(q);
        }
        sums[0] = sg;
        sums[1] = sgh;
    }

    /**
     * Batch-norm update of one run: {@code h = (x - mean) * invStd}, {@code y = gamma * h + beta}; {@code h} is
     * stored in {@code xhat} unless that is {@code null}.
     */
    public static void normalize(float[] x, int off, int len, float mean, float invStd, float gamma, float beta,
                                 float[] xhat, float[] y) {
        if (Kernels.VECTOR) {
            VectorElementwise.normalize(x, off, len, mean, invStd, gamma, beta, xhat, y);
            return;
        }
        for (int i = off; i < off + len; i++) {
            float h = (x[i] - mean) * invStd;
            if (xhat != null) {
                xhat[i] = h;
            }
            y[i] = gamma * h + beta;
        }
    }

    /** Batch-norm input gradient of one run in training mode: {@code dx = k * (g - meanG - h * meanGh)}. */
    public static void normalizeBackward(float[] g, float[] h, int off, int len, float k, float meanG, float meanGh,
                                         float[] dx) {
        if (Kernels.VECTOR) {
            VectorElementwise.normalizeBackward(g, h, off, len, k, meanG, meanGh, dx);
            return;
        }
        for (int i = off; i < off + len; i++) {
            dx[i] = k * (g[i] - meanG - h[i] * meanGh);
        }
    }

    /** {@code y[i] = a * x[i] + b} over {@code len} entries from {@code off}. */
    public static void affine(float[] x, int off, int len, float a, float b, float[] y) {
        if (Kernels.VECTOR) {
            VectorElementwise.affine(x, off, len, a, b, y);
            return;
        }
        for (int i = off; i < off + len; i++) {
            y[i] = a * x[i] + b;
        }
    }

    private static double reduce(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s;
    }
}
