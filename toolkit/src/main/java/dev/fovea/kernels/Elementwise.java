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

    /**
     * {@code out[i] = a[i] + b[i]} over {@code [from, to)}, then {@code v > 0 ? v : 0} of it when {@code relu} (a NaN
     * gives 0, as {@link #relu}); {@code out} may be {@code a} or {@code b}.
     */
    public static void sum2(float[] a, float[] b, boolean relu, float[] out, int from, int to) {
        if (Kernels.VECTOR) {
            VectorElementwise.sum2(a, b, relu, out, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            float v = a[i] + b[i];
            out[i] = relu ? v > 0f ? v : 0f : v;
        }
    }

    /**
     * {@code out[outOff + i] = v} with {@code v = (b + x[off + i]) + r[rOff + i]}, then {@code v > 0 ? v : 0} when
     * {@code relu} (a NaN gives 0), for {@code i < len}: a biased sum and a residual in one pass, the same bits as
     * {@link #affine} then {@link #sum2}.
     */
    public static void addSum(float[] x, int off, int len, float b, float[] r, int rOff, boolean relu, float[] out, int outOff) {
        if (Kernels.VECTOR) {
            VectorElementwise.addSum(x, off, len, b, r, rOff, relu, out, outOff);
            return;
        }
        for (int i = 0; i < len; i++) {
            float v = (b + x[off + i]) + r[rOff + i];
            out[outOff + i] = relu ? v > 0f ? v : 0f : v;
        }
    }

    /**
     * Column by column the maximum of {@code rows} rows of {@code w} floats, {@code stride} apart from {@code r0}:
     * {@code m[x]} the largest, {@code u[x]} the first row holding it (as a float). For rows without NaNs (a NaN is
     * passed over here, where max pooling would let it win).
     */
    public static void maxRows(float[] in, int r0, int rows, int stride, int w, float[] m, float[] u) {
        if (Kernels.VECTOR) {
            VectorElementwise.maxRows(in, r0, rows, stride, w, m, u);
            return;
        }
        maxRowsScalar(in, r0, rows, stride, 0, w, m, u);
    }

    static void maxRowsScalar(float[] in, int r0, int rows, int stride, int from, int to, float[] m, float[] u) {
        for (int x = from; x < to; x++) {
            float best = in[r0 + x];
            float at = 0;
            for (int t = 1; t < rows; t++) {
                float v = in[r0 + t * stride + x];
                if (v > best) {
                    best = v;
                    at = t;
                }
            }
            m[x] = best;
            u[x] = at;
        }
    }

    /**
     * For {@code j < n}, of the three candidates {@code (va[ia+j], pa[ia+j])}, {@code (vb[ib+j], pb[ib+j])} and
     * {@code (vc[ic+j], pc[ic+j])} (a value and its position) the largest value, on a tie the smaller position, into
     * {@code v[o+j]} and {@code p[o+j]}; the values without NaNs.
     */
    public static void maxOf3(float[] va, float[] pa, int ia, float[] vb, float[] pb, int ib, float[] vc, float[] pc, int ic, int n,
                              float[] v, float[] p, int o) {
        if (Kernels.VECTOR) {
            VectorElementwise.maxOf3(va, pa, ia, vb, pb, ib, vc, pc, ic, n, v, p, o);
            return;
        }
        maxOf3Scalar(va, pa, ia, vb, pb, ib, vc, pc, ic, 0, n, v, p, o);
    }

    static void maxOf3Scalar(float[] va, float[] pa, int ia, float[] vb, float[] pb, int ib, float[] vc, float[] pc, int ic, int from, int n,
                             float[] v, float[] p, int o) {
        for (int j = from; j < n; j++) {
            float bv = va[ia + j];
            float bp = pa[ia + j];
            float v1 = vb[ib + j];
            float p1 = pb[ib + j];
            if (v1 > bv || v1 == bv && p1 < bp) {
                bv = v1;
                bp = p1;
            }
            float v2 = vc[ic + j];
            float p2 = pc[ic + j];
            if (v2 > bv || v2 == bv && p2 < bp) {
                bv = v2;
                bp = p2;
            }
            v[o + j] = bv;
            p[o + j] = bp;
        }
    }

    /** Whether {@code a[from, to)} holds a NaN. */
    public static boolean hasNaN(float[] a, int from, int to) {
        if (Kernels.VECTOR) {
            return VectorElementwise.hasNaN(a, from, to);
        }
        for (int i = from; i < to; i++) {
            if (a[i] != a[i]) {
                return true;
            }
        }
        return false;
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

    /**
     * Hyperbolic tangent over {@code [from, to)} by the rational approximation of Eigen's
     * {@code generic_fast_tanh_float}: odd degree-13 numerator over even degree-6 denominator, the input clamped to
     * {@code [-7.905, 7.905]} where it rounds to {@code +-1}; within {@code 4.2e-7} of {@code tanh} on every float.
     */
    public static void tanh(float[] x, float[] out, int from, int to) {
        if (Kernels.VECTOR) {
            VectorElementwise.tanh(x, out, from, to);
            return;
        }
        for (int i = from; i < to; i++) {
            out[i] = tanh(x[i]);
        }
    }

    /** Clamp of {@link #tanh(float)}: beyond it the approximation rounds to {@code +-1}. */
    static final float TANH_CLAMP = 7.90531110763549805f;
    static final float[] TANH_P = {-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f,
            5.12229709037114e-08f, 1.48572235717979e-05f, 6.37261928875436e-04f, 4.89352455891786e-03f};
    static final float[] TANH_Q = {1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f,
            4.89352518554385e-03f};

    /** One value of {@link #tanh(float[], float[], int, int)}. */
    public static float tanh(float x) {
        float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = c * c;
        float p = x2 * TANH_P[0] + TANH_P[1];
        p = x2 * p + TANH_P[2];
        p = x2 * p + TANH_P[3];
        p = x2 * p + TANH_P[4];
        p = x2 * p + TANH_P[5];
        p = x2 * p + TANH_P[6];
        float q = x2 * TANH_Q[0] + TANH_Q[1];
        q = x2 * q + TANH_Q[2];
        q = x2 * q + TANH_Q[3];
        return c * p / q;
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
                for (int i = 0; i < len; i++) {
                    p[i % LANES] += a[o + i];
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
                for (int i = 0; i < len; i++) {
                    float d = a[o + i] - mean;
                    p[i % LANES] += d * d;
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
                for (int i = 0; i < len; i++) {
                    p[i % LANES] += g[o + i];
                    q[i % LANES] += g[o + i] * h[o + i];
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
