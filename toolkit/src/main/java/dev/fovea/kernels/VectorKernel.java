package dev.fovea.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: an {@code 8 x 2}-vector tile of {@code C} held in 16 vector registers, one
 * broadcast of {@code A} and two loads of {@code B} per step of {@code k}. Only loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int NR = 2 * L;

    private VectorKernel() {
    }

    static void run(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, int mr, int nr,
                    float alpha, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        for (int kk = 0; kk < kc; kk++) {
            int b = bo + kk * NR;
            int a = ao + kk * 8;
            FloatVector b0 = FloatVector.fromArray(S, bp, b);
            FloatVector b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector av;
            av = FloatVector.broadcast(S, ap[a + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[a + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[a + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[a + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[a + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[a + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, ap[a + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[a + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        if (mr == 8 && nr == NR) {
            add(c00, c01, c, co + 0 * ldc, alpha);
            add(c10, c11, c, co + 1 * ldc, alpha);
            add(c20, c21, c, co + 2 * ldc, alpha);
            add(c30, c31, c, co + 3 * ldc, alpha);
            add(c40, c41, c, co + 4 * ldc, alpha);
            add(c50, c51, c, co + 5 * ldc, alpha);
            add(c60, c61, c, co + 6 * ldc, alpha);
            add(c70, c71, c, co + 7 * ldc, alpha);
        } else {
            c00.intoArray(tile, 0 * NR);
            c01.intoArray(tile, 0 * NR + L);
            c10.intoArray(tile, 1 * NR);
            c11.intoArray(tile, 1 * NR + L);
            c20.intoArray(tile, 2 * NR);
            c21.intoArray(tile, 2 * NR + L);
            c30.intoArray(tile, 3 * NR);
            c31.intoArray(tile, 3 * NR + L);
            c40.intoArray(tile, 4 * NR);
            c41.intoArray(tile, 4 * NR + L);
            c50.intoArray(tile, 5 * NR);
            c51.intoArray(tile, 5 * NR + L);
            c60.intoArray(tile, 6 * NR);
            c61.intoArray(tile, 6 * NR + L);
            c70.intoArray(tile, 7 * NR);
            c71.intoArray(tile, 7 * NR + L);
            Kernels.addTile(tile, NR, c, co, ldc, mr, nr, alpha);
        }
    }

    private static void add(FloatVector v0, FloatVector v1, float[] c, int at, float alpha) {
        FloatVector c0 = FloatVector.fromArray(S, c, at);
        FloatVector c1 = FloatVector.fromArray(S, c, at + L);
        if (alpha == 1f) {
            c0.add(v0).intoArray(c, at);
            c1.add(v1).intoArray(c, at + L);
        } else {
            c0.add(v0.mul(alpha)).intoArray(c, at);
            c1.add(v1.mul(alpha)).intoArray(c, at + L);
        }
    }
}
