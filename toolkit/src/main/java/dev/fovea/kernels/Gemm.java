package dev.fovea.kernels;

/**
 * General matrix multiply {@code C = alpha * op(A) * op(B) + beta * C} on row-major float arrays, the one kernel
 * behind convolution forward, its weight and input gradients, and linear layers.
 *
 * <p>{@code op(A)} is {@code M x K} ({@code A} stored {@code K x M} when {@code transA}); {@code op(B)} is
 * {@code K x N} ({@code B} stored {@code N x K} when {@code transB}). The layout follows Goto and van de Geijn,
 * "Anatomy of high-performance matrix multiplication" (ACM TOMS 2008), as BLIS does: {@code K} is cut into blocks
 * of {@link #KC}; for each block, {@code op(A)} is packed into panels of {@link #MR} rows and {@code op(B)} into
 * panels of {@code NR} columns (both zero-padded), and a register-tiled micro-kernel keeps an
 * {@code MR x NR} tile of {@code C} in registers while it runs over the block, one fused multiply-add per entry
 * and step. The micro-kernel uses the Vector API when the {@code jdk.incubator.vector} module is present (the
 * launcher adds it) and the system property {@code fovea.simd} is not {@code false}; otherwise a scalar kernel
 * with the same arithmetic.
 *
 * <p>Every entry of {@code C} is {@code beta * c}, then plus {@code alpha * s} for each block's sum {@code s},
 * block after block, and each block's sum runs over {@code k} in order with {@link Math#fma}. That order does
 * not depend on the entry's place in a tile, on the tiling, on the thread count or on which kernel runs, so
 * results are bit-identical whatever the thread count and with or without the Vector API. The output is cut
 * into tiles of whole panels; one task owns each tile.
 */
public final class Gemm {
    /** Rows of a micro-tile (4 with the Vector API: a 4 x 3-vector tile measured fastest of 2..12 x 2..4). */
    static final int MR = Kernels.MR;
    /** Depth of one packed block. */
    static final int KC = 128;
    /** Columns of a micro-tile (three vectors with the Vector API). */
    static final int NR = Kernels.NR;
    private static final int MC_MAX = 128;
    private static final int NC_MAX = 1024;
    /** Products smaller than this many multiply-adds run on the calling thread. */
    private static final long INLINE_WORK = 1L << 18;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private Gemm() {
    }

    /** Whether the Vector API micro-kernel runs (else the scalar one). */
    public static boolean vectorized() {
        return Kernels.VECTOR;
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, beta, c, cOff, ldc);
    }

    /**
     * {@code C = alpha * op(A) * B^T + beta * C} where row {@code j} of {@code B} ({@code k} values) starts at
     * {@code b[bRows[j]]}: rows at any offsets, e.g. the windows of a padded image that make up a column matrix.
     */
    public static void gemmRowsB(int m, int n, int k, float alpha, float[] a, int aOff, int lda, boolean transA,
                                 float[] b, int[] bRows, float beta, float[] c, int cOff, int ldc) {
        gemm(transA, true, m, n, k, alpha, a, aOff, lda, b, 0, 0, bRows, beta, c, cOff, ldc);
    }

    private static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows,
                             float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        int mPanels = (m + MR - 1) / MR;
        int nPanels = (n + NR - 1) / NR;
        int mcp = Math.min(mPanels, MC_MAX / MR);
        int ncp = Math.min(nPanels, NC_MAX / NR);
        long work = (long) m * n * k;
        // on a worker (a product per image inside a parallel loop) the tiles would run there one after the other:
        // cut only for the caches then, so that each panel of A is packed once
        boolean inline = work < INLINE_WORK || Parallel.threads() == 1 || Parallel.onWorker();
        if (!inline) {
            int want = 2 * Parallel.threads();
            while (tiles(mPanels, mcp) * tiles(nPanels, ncp) < want && (ncp > 1 || mcp > 1)) {
                if (ncp > 1) {
                    ncp = (ncp + 1) / 2;
                } else {
                    mcp = (mcp + 1) / 2;
                }
            }
        }
        int tm = tiles(mPanels, mcp);
        int count = tm * tiles(nPanels, ncp);
        int rowsPerTile = mcp * MR;
        int colsPerTile = ncp * NR;
        Parallel.forRange(count, inline ? count : 1, (from, to) -> {
            Buffers buf = BUFFERS.get();
            for (int t = from; t < to; t++) {
                int i0 = (t % tm) * rowsPerTile;
                int j0 = (t / tm) * colsPerTile;
                tile(transA, transB, i0, Math.min(m, i0 + rowsPerTile), j0, Math.min(n, j0 + colsPerTile), k, alpha,
                        a, aOff, lda, b, bOff, ldb, bRows, beta, c, cOff, ldc, buf);
            }
        });
    }

    private static int tiles(int panels, int per) {
        return (panels + per - 1) / per;
    }

    private static void tile(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb, int[] bRows,
                             float beta, float[] c, int cOff, int ldc, Buffers buf) {
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
        int mp = (i1 - i0 + MR - 1) / MR;
        int np = (j1 - j0 + NR - 1) / NR;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            packA(transA, a, aOff, lda, i0, i1, k0, kc, buf.a);
            packB(transB, b, bOff, ldb, bRows, j0, j1, k0, kc, buf.b);
            for (int q = 0; q < np; q++) {
                int jq = j0 + q * NR;
                int nr = Math.min(NR, j1 - jq);
                for (int p = 0; p < mp; p++) {
                    int ip = i0 + p * MR;
                    Kernels.run(kc, buf.a, p * MR * kc, buf.b, q * NR * kc, c, cOff + ip * ldc + jq, ldc,
                            Math.min(MR, i1 - ip), nr, alpha, buf.tile);
                }
            }
        }
    }

    /** Rows {@code [i0,i1)} of {@code op(A)}, columns {@code [k0,k0+kc)}, as panels {@code [kc][MR]}, zero-padded. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int i1, int k0, int kc, float[] dst) {
        for (int p = 0; i0 + p * MR < i1; p++) {
            int base = p * MR * kc;
            int rows = Math.min(MR, i1 - i0 - p * MR);
            if (transA) {
                for (int kk = 0; kk < kc; kk++) {
                    int src = aOff + (k0 + kk) * lda + i0 + p * MR;
                    int d = base + kk * MR;
                    System.arraycopy(a, src, dst, d, rows);
                    if (rows < MR) {
                        java.util.Arrays.fill(dst, d + rows, d + MR, 0f);
                    }
                }
            } else if (rows == MR) {
                // a step of k at a time: MR reads from MR rows, one contiguous write
                int src = aOff + (i0 + p * MR) * lda + k0;
                for (int kk = 0; kk < kc; kk++) {
                    int d = base + kk * MR;
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[src + r * lda + kk];
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int src = aOff + (i0 + p * MR + r) * lda + k0;
                        for (int kk = 0; kk < kc; kk++) {
                            dst[base + kk * MR + r] = a[src + kk];
                        }
                    } else {
                        for (int kk = 0; kk < kc; kk++) {
                            dst[base + kk * MR + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Columns {@code [j0,j1)} of {@code op(B)}, rows {@code [k0,k0+kc)}, as panels {@code [kc][NR]}, zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int[] bRows, int j0, int j1, int k0, int kc,
                              float[] dst) {
        for (int q = 0; j0 + q * NR < j1; q++) {
            int base = q * NR * kc;
            int cols = Math.min(NR, j1 - j0 - q * NR);
            if (transB) {
                for (int j = 0; j < NR; j++) {
                    if (j < cols) {
                        int row = j0 + q * NR + j;
                        int src = (bRows != null ? bRows[row] : bOff + row * ldb) + k0;
                        for (int kk = 0; kk < kc; kk++) {
                            dst[base + kk * NR + j] = b[src + kk];
                        }
                    } else {
                        for (int kk = 0; kk < kc; kk++) {
                            dst[base + kk * NR + j] = 0f;
                        }
                    }
                }
            } else {
                for (int kk = 0; kk < kc; kk++) {
                    int src = bOff + (k0 + kk) * ldb + j0 + q * NR;
                    int d = base + kk * NR;
                    System.arraycopy(b, src, dst, d, cols);
                    if (cols < NR) {
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                }
            }
        }
    }

    /** One worker's packing buffers, allocated once per thread. */
    private static final class Buffers {
        final float[] a = new float[MC_MAX * KC];
        final float[] b = new float[KC * NC_MAX];
        final float[] tile = new float[MR * NR];
    }
}
