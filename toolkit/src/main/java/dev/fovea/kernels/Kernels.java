package dev.fovea.kernels;

/**
 * The GEMM micro-kernel: {@code C[0:mr, 0:nr] += alpha * Ap * Bp} for a packed panel {@code Ap} ({@code [kc][MR]})
 * and {@code Bp} ({@code [kc][NR]}), summed over {@code k} in order with fused multiply-adds. Picks the Vector
 * API kernel ({@link VectorKernel}) when its module is present and {@code fovea.simd} is not {@code false}, else
 * the scalar one here; both give the same bits.
 */
final class Kernels {
    static final boolean VECTOR = vectorAvailable();
    static final int NR = VECTOR ? VectorKernel.NR : 16;
    static final int MR = VECTOR ? VectorKernel.MR : 8;

    private Kernels() {
    }

    private static boolean vectorAvailable() {
        if ("false".equalsIgnoreCase(System.getProperty("fovea.simd", "").trim())) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernel.NR >= 8;
        } catch (LinkageError e) {
            return false;
        }
    }

    static void run(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mr, int nr,
                    float alpha, float[] tile) {
        if (VECTOR) {
            VectorKernel.run(kc, ap, ao, bp, bo, c, co, ldc, mr, nr, alpha, tile);
        } else {
            scalar(kc, ap, ao, bp, bo, c, co, ldc, mr, nr, alpha, tile);
        }
    }

    private static void scalar(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mr, int nr,
                               float alpha, float[] acc) {
        final int mrFull = MR;
        java.util.Arrays.fill(acc, 0, mrFull * NR, 0f);
        for (int kk = 0; kk < kc; kk++) {
            int b = bo + kk * NR;
            int a = ao + kk * mrFull;
            for (int r = 0; r < mrFull; r++) {
                float av = ap[a + r];
                int t = r * NR;
                for (int j = 0; j < NR; j++) {
                    acc[t + j] = Math.fma(av, bp[b + j], acc[t + j]);
                }
            }
        }
        addTile(acc, NR, c, co, ldc, mr, nr, alpha);
    }

    /** The indirect micro-kernel ({@link VectorKernel#runIndirect}), on the Vector API or in scalar code. */
    static void runIndirect(int k, float[] ap, int ao, float[] x, int[] rowOff, int j0, float[] c, int co, int ldc,
                            int mr, int nr, float[] tile) {
        if (VECTOR) {
            VectorKernel.runIndirect(k, ap, ao, x, rowOff, j0, c, co, ldc, mr, nr, tile);
            return;
        }
        java.util.Arrays.fill(tile, 0, MR * NR, 0f);
        for (int kk = 0; kk < k; kk++) {
            int b = rowOff[kk] + j0;
            int a = ao + kk * MR;
            for (int r = 0; r < MR; r++) {
                float av = ap[a + r];
                int t = r * NR;
                for (int j = 0; j < NR; j++) {
                    tile[t + j] = Math.fma(av, x[b + j], tile[t + j]);
                }
            }
        }
        copyTile(tile, NR, c, co, ldc, mr, nr);
    }

    /** {@code C[r, j] = acc[r * stride + j]} over the valid {@code mr x nr} corner. */
    static void copyTile(float[] acc, int stride, float[] c, int co, int ldc, int mr, int nr) {
        for (int r = 0; r < mr; r++) {
            System.arraycopy(acc, r * stride, c, co + r * ldc, nr);
        }
    }

    /** {@code C[r, j] += alpha * acc[r * stride + j]} over the valid {@code mr x nr} corner. */
    static void addTile(float[] acc, int stride, float[] c, int co, int ldc, int mr, int nr, float alpha) {
        for (int r = 0; r < mr; r++) {
            int row = co + r * ldc;
            int t = r * stride;
            if (alpha == 1f) {
                for (int j = 0; j < nr; j++) {
                    c[row + j] = c[row + j] + acc[t + j];
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    c[row + j] = c[row + j] + alpha * acc[t + j];
                }
            }
        }
    }
}
