package dev.fovea.kernels;

/**
 * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C} on row-major float arrays, the one kernel
 * behind convolution forward, its weight and input gradients, and linear layers.
 *
 * <p>{@code op(A)} is {@code M x K} ({@code A} stored {@code K x M} when {@code transA}); {@code op(B)} is
 * {@code K x N} ({@code B} stored {@code N x K} when {@code transB}). The output is cut into tiles of rows and
 * columns; one task owns each tile and sums over {@code k} in a fixed order, so results are bit-identical
 * whatever the thread count. Each tile packs its slab of {@code op(B)} into a contiguous buffer so the inner loop
 * is a unit-stride multiply-add the JIT turns into SIMD instructions.
 */
public final class Gemm {
    private static final int NC = 256;
    private static final int KC = 128;
    private static final ThreadLocal<float[]> PACK = ThreadLocal.withInitial(() -> new float[KC * NC]);

    private Gemm() {
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        int tilesN = (n + NC - 1) / NC;
        int want = 2 * Parallel.threads();
        int tilesM = Math.max(1, Math.min((m + 3) / 4, (want + tilesN - 1) / tilesN));
        int mb = (m + tilesM - 1) / tilesM;
        tilesM = (m + mb - 1) / mb;
        final int tm = tilesM;
        final int rowsPerTile = mb;
        long work = (long) m * n * k;
        int grain = work < 64L * 64 * 64 ? tm * tilesN : 1;
        Parallel.forRange(tm * tilesN, grain, (from, to) -> {
            for (int t = from; t < to; t++) {
                int ti = t % tm;
                int tj = t / tm;
                int i0 = ti * rowsPerTile;
                int i1 = Math.min(m, i0 + rowsPerTile);
                int j0 = tj * NC;
                int j1 = Math.min(n, j0 + NC);
                tile(transA, transB, i0, i1, j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    private static void tile(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        int nw = j1 - j0;
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row + j0, row + j1, 0f);
            } else if (beta != 1f) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] *= beta;
                }
            }
        }
        float[] pack = PACK.get();
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kw = Math.min(KC, k - k0);
            packB(transB, b, bOff, ldb, k0, kw, j0, nw, pack);
            for (int i = i0; i < i1; i++) {
                int row = cOff + i * ldc + j0;
                int kk = 0;
                for (; kk + 4 <= kw; kk += 4) {
                    float a0 = alpha * at(transA, a, aOff, lda, i, k0 + kk);
                    float a1 = alpha * at(transA, a, aOff, lda, i, k0 + kk + 1);
                    float a2 = alpha * at(transA, a, aOff, lda, i, k0 + kk + 2);
                    float a3 = alpha * at(transA, a, aOff, lda, i, k0 + kk + 3);
                    int p0 = kk * nw;
                    int p1 = p0 + nw;
                    int p2 = p1 + nw;
                    int p3 = p2 + nw;
                    for (int j = 0; j < nw; j++) {
                        c[row + j] += a0 * pack[p0 + j] + a1 * pack[p1 + j] + a2 * pack[p2 + j] + a3 * pack[p3 + j];
                    }
                }
                for (; kk < kw; kk++) {
                    float av = alpha * at(transA, a, aOff, lda, i, k0 + kk);
                    int p = kk * nw;
                    for (int j = 0; j < nw; j++) {
                        c[row + j] += av * pack[p + j];
                    }
                }
            }
        }
    }

    private static float at(boolean transA, float[] a, int aOff, int lda, int i, int k) {
        return transA ? a[aOff + k * lda + i] : a[aOff + i * lda + k];
    }

    private static void packB(boolean transB, float[] b, int bOff, int ldb, int k0, int kw, int j0, int nw, float[] pack) {
        if (!transB) {
            for (int kk = 0; kk < kw; kk++) {
                System.arraycopy(b, bOff + (k0 + kk) * ldb + j0, pack, kk * nw, nw);
            }
        } else {
            for (int j = 0; j < nw; j++) {
                int src = bOff + (j0 + j) * ldb + k0;
                for (int kk = 0; kk < kw; kk++) {
                    pack[kk * nw + j] = b[src + kk];
                }
            }
        }
    }
}
