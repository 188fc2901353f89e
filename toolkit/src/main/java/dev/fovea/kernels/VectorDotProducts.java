package dev.fovea.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link DotProducts}: one lane per partial sum, so 16-lane vectors only (elsewhere the
 * scalar code runs). Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorDotProducts {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean AVAILABLE = S.length() == Elementwise.LANES;

    private VectorDotProducts() {
    }

    /** Rows {@code i, i+1} of {@code A} (at {@code ao}, {@code ao + lda}) against four rows of {@code B}. */
    static void block2x4(int k, float[] a, int ao, int lda, float[] b, int b0, int b1, int b2, int b3, float[] p) {
        int l = S.length();
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        int full = k - k % l;
        for (int t = 0; t < full; t += l) {
            FloatVector x0 = FloatVector.fromArray(S, a, ao + t);
            FloatVector x1 = FloatVector.fromArray(S, a, ao + lda + t);
            FloatVector y = FloatVector.fromArray(S, b, b0 + t);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            y = FloatVector.fromArray(S, b, b1 + t);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            y = FloatVector.fromArray(S, b, b2 + t);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            y = FloatVector.fromArray(S, b, b3 + t);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
        }
        c00.intoArray(p, 0 * l);
        c01.intoArray(p, 1 * l);
        c02.intoArray(p, 2 * l);
        c03.intoArray(p, 3 * l);
        c10.intoArray(p, 4 * l);
        c11.intoArray(p, 5 * l);
        c12.intoArray(p, 6 * l);
        c13.intoArray(p, 7 * l);
        for (int r = 0; r < 2; r++) {
            tail(k, full, a, ao + r * lda, b, b0, p, (r * 4) * l);
            tail(k, full, a, ao + r * lda, b, b1, p, (r * 4 + 1) * l);
            tail(k, full, a, ao + r * lda, b, b2, p, (r * 4 + 2) * l);
            tail(k, full, a, ao + r * lda, b, b3, p, (r * 4 + 3) * l);
        }
    }

    private static void tail(int k, int full, float[] a, int ao, float[] b, int bo, float[] p, int po) {
        for (int t = full; t < k; t++) {
            p[po + t - full] = Math.fma(a[ao + t], b[bo + t], p[po + t - full]);
        }
    }

    static void partials(int k, float[] a, int ao, float[] b, int bo, float[] p, int po) {
        int l = S.length();
        FloatVector acc = FloatVector.zero(S);
        int full = k - k % l;
        for (int t = 0; t < full; t += l) {
            acc = FloatVector.fromArray(S, a, ao + t).fma(FloatVector.fromArray(S, b, bo + t), acc);
        }
        acc.intoArray(p, po);
        tail(k, full, a, ao, b, bo, p, po);
    }
}
