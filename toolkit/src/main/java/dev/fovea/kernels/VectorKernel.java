package dev.fovea.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a {@code 4 x 3}-vector tile of {@code C} held in 12 vector registers, one
 * broadcast of {@code A} per row and 3 loads of {@code B} per step of {@code k}. Only loaded when the
 * {@code jdk.incubator.vector} module is present. {@link #run} (packed {@code B}, tile added to {@code C}) and
 * {@link #runIndirect} (rows of {@code B} in place, tile written) are written out each in full: one shared body
 * with a row table and a mode flag measured at half the speed.
 */
final class VectorKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the tile. */
    static final int MR = 4;
    /** Columns of the tile: 3 vectors. */
    static final int NR = 3 * L;

    private VectorKernel() {
    }

    static void run(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mr, int nr,
                    float alpha, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        for (int kk = 0; kk < kc; kk++) {
            int b = bo + kk * NR;
            int a = ao + kk * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, bp, b + 2 * L);
            FloatVector av;
            av = FloatVector.broadcast(S, ap[a + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, ap[a + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, ap[a + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, ap[a + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
        }
        if (mr == MR && nr == NR) {
            add(c00, c, co + 0 * ldc + 0 * L, alpha);
            add(c01, c, co + 0 * ldc + 1 * L, alpha);
            add(c02, c, co + 0 * ldc + 2 * L, alpha);
            add(c10, c, co + 1 * ldc + 0 * L, alpha);
            add(c11, c, co + 1 * ldc + 1 * L, alpha);
            add(c12, c, co + 1 * ldc + 2 * L, alpha);
            add(c20, c, co + 2 * ldc + 0 * L, alpha);
            add(c21, c, co + 2 * ldc + 1 * L, alpha);
            add(c22, c, co + 2 * ldc + 2 * L, alpha);
            add(c30, c, co + 3 * ldc + 0 * L, alpha);
            add(c31, c, co + 3 * ldc + 1 * L, alpha);
            add(c32, c, co + 3 * ldc + 2 * L, alpha);
        } else {
            c00.intoArray(tile, 0 * NR + 0 * L);
            c01.intoArray(tile, 0 * NR + 1 * L);
            c02.intoArray(tile, 0 * NR + 2 * L);
            c10.intoArray(tile, 1 * NR + 0 * L);
            c11.intoArray(tile, 1 * NR + 1 * L);
            c12.intoArray(tile, 1 * NR + 2 * L);
            c20.intoArray(tile, 2 * NR + 0 * L);
            c21.intoArray(tile, 2 * NR + 1 * L);
            c22.intoArray(tile, 2 * NR + 2 * L);
            c30.intoArray(tile, 3 * NR + 0 * L);
            c31.intoArray(tile, 3 * NR + 1 * L);
            c32.intoArray(tile, 3 * NR + 2 * L);
            Kernels.addTile(tile, NR, c, co, ldc, mr, nr, alpha);
        }
    }

    /**
     * {@code C[r, j] = sum_kk A[r, kk] * x[rowOff[kk] + j0 + j]} for a packed panel of {@code A} ({@code [k][MR]})
     * and rows of {@code B} read straight from {@code x} at the offsets {@code rowOff} (no packing): the tile of
     * {@code C} is written, not added to.
     */
    static void runIndirect(int k, float[] ap, int ao, float[] x, int[] rowOff, int j0, float[] c, int co, int ldc,
                            int mr, int nr, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        for (int kk = 0; kk < k; kk++) {
            int b = rowOff[kk] + j0;
            int a = ao + kk * MR;
            FloatVector b0 = FloatVector.fromArray(S, x, b + 0 * L);
            FloatVector b1 = FloatVector.fromArray(S, x, b + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, x, b + 2 * L);
            FloatVector av;
            av = FloatVector.broadcast(S, ap[a + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, ap[a + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, ap[a + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, ap[a + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
        }
        if (mr == MR && nr == NR) {
            c00.intoArray(c, co + 0 * ldc + 0 * L);
            c01.intoArray(c, co + 0 * ldc + 1 * L);
            c02.intoArray(c, co + 0 * ldc + 2 * L);
            c10.intoArray(c, co + 1 * ldc + 0 * L);
            c11.intoArray(c, co + 1 * ldc + 1 * L);
            c12.intoArray(c, co + 1 * ldc + 2 * L);
            c20.intoArray(c, co + 2 * ldc + 0 * L);
            c21.intoArray(c, co + 2 * ldc + 1 * L);
            c22.intoArray(c, co + 2 * ldc + 2 * L);
            c30.intoArray(c, co + 3 * ldc + 0 * L);
            c31.intoArray(c, co + 3 * ldc + 1 * L);
            c32.intoArray(c, co + 3 * ldc + 2 * L);
        } else {
            c00.intoArray(tile, 0 * NR + 0 * L);
            c01.intoArray(tile, 0 * NR + 1 * L);
            c02.intoArray(tile, 0 * NR + 2 * L);
            c10.intoArray(tile, 1 * NR + 0 * L);
            c11.intoArray(tile, 1 * NR + 1 * L);
            c12.intoArray(tile, 1 * NR + 2 * L);
            c20.intoArray(tile, 2 * NR + 0 * L);
            c21.intoArray(tile, 2 * NR + 1 * L);
            c22.intoArray(tile, 2 * NR + 2 * L);
            c30.intoArray(tile, 3 * NR + 0 * L);
            c31.intoArray(tile, 3 * NR + 1 * L);
            c32.intoArray(tile, 3 * NR + 2 * L);
            Kernels.copyTile(tile, NR, c, co, ldc, mr, nr);
        }
    }

    private static void add(FloatVector v, float[] c, int at, float alpha) {
        FloatVector old = FloatVector.fromArray(S, c, at);
        (alpha == 1f ? old.add(v) : old.add(v.mul(alpha))).intoArray(c, at);
    }
}
