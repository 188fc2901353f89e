package dev.fovea.kernels;

/**
 * {@code C[i][j] = beta * C[i][j] + sum_k A[i][k] * B[j][k]} for row-major {@code A} ({@code M x K}) and rows of
 * {@code B} ({@code N} rows of {@code K}) at given offsets: a product of few rows and columns over a long depth,
 * such as a small convolution's weight gradient, as {@code M x N} dot products rather than through
 * {@link Gemm}'s panels (which pad {@code M} and {@code N} to whole tiles).
 *
 * <p>Each dot product runs in {@link Elementwise#LANES} float partial sums, entry {@code k} to partial
 * {@code k mod LANES} by fused multiply-add, then added in order in double precision: the same bits on the Vector API and in scalar code,
 * whatever the thread count.
 */
public final class DotProducts {
    private static final int LANES = Elementwise.LANES;
    private static final boolean VECTOR = Kernels.VECTOR && VectorDotProducts.AVAILABLE;
    private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[8 * LANES]);

    private DotProducts() {
    }

    /**
     * The products for {@code A} at {@code a[aOff + i*lda + k]} and row {@code j} of {@code B} at
     * {@code b[bRows[j] + k]}, into {@code c[cOff + i*ldc + j]}.
     */
    public static void multiply(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int[] bRows, float beta,
                                float[] c, int cOff, int ldc) {
        float[] p = PARTIALS.get();
        for (int i = 0; i < m; i += 2) {
            int rows = Math.min(2, m - i);
            for (int j = 0; j < n; j += 4) {
                int cols = Math.min(4, n - j);
                java.util.Arrays.fill(p, 0f);
                if (VECTOR && rows == 2 && cols == 4) {
                    VectorDotProducts.block2x4(k, a, aOff + i * lda, lda, b, bRows[j], bRows[j + 1], bRows[j + 2], bRows[j + 3], p);
                } else {
                    for (int r = 0; r < rows; r++) {
                        for (int q = 0; q < cols; q++) {
                            partials(k, a, aOff + (i + r) * lda, b, bRows[j + q], p, (r * 4 + q) * LANES);
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < cols; q++) {
                        double s = 0;
                        int o = (r * 4 + q) * LANES;
                        for (int l = 0; l < LANES; l++) {
                            s += p[o + l];
                        }
                        int at = cOff + (i + r) * ldc + j + q;
                        c[at] = beta == 0f ? (float) s : beta * c[at] + (float) s;
                    }
                }
            }
        }
    }

    /** One dot product's partial sums into {@code p[po .. po+LANES)}, in scalar code or on the Vector API. */
    private static void partials(int k, float[] a, int ao, float[] b, int bo, float[] p, int po) {
        if (VECTOR) {
            VectorDotProducts.partials(k, a, ao, b, bo, p, po);
            return;
        }
        for (int t = 0; t < k; t++) {
            p[po + t % LANES] = Math.fma(a[ao + t], b[bo + t], p[po + t % LANES]);
        }
    }
}
