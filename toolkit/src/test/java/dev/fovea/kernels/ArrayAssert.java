package dev.fovea.kernels;

import dev.fovea.tensor.Shape;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparisons whose failures name what was compared and the first index that differs. */
public final class ArrayAssert {
    private ArrayAssert() {
    }

    /**
     * Passes when {@code |actual[i] - expected[i]| <= tol * (1 + max|expected|)} for every {@code i}: a float32
     * sum of many terms is accurate relative to the size of the terms, not to a result that happens to cancel.
     */
    public static void assertClose(String what, double[] expected, float[] actual, double tol) {
        assertClose(what, expected, actual, null, tol);
    }

    /** As {@link #assertClose(String, double[], float[], double)}, naming a failing index in {@code shape}. */
    public static void assertClose(String what, double[] expected, float[] actual, Shape shape, double tol) {
        double[] a = new double[actual.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = actual[i];
        }
        assertClose(what, expected, a, shape, tol);
    }

    public static void assertClose(String what, double[] expected, double[] actual, Shape shape, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double limit = tol * scale;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            if (!(d <= limit)) {
                String where = shape == null ? "index " + i : Arrays.toString(unravel(i, shape)) + " (flat " + i + ")";
                fail(what + ": at " + where + " expected " + expected[i] + ", got " + actual[i]
                        + " (difference " + d + " > " + limit + ")");
            }
        }
    }

    /** Values compared with {@code ==} (so {@code -0 == 0}), first mismatch named. */
    public static void assertExactlyEqual(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": at index " + i + " expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /** The multi-index of flat index {@code flat} in row-major {@code shape}. */
    public static int[] unravel(int flat, Shape shape) {
        int[] idx = new int[shape.rank()];
        int rest = flat;
        for (int d = shape.rank() - 1; d >= 0; d--) {
            int n = shape.dim(d);
            idx[d] = n == 0 ? 0 : rest % n;
            rest = n == 0 ? 0 : rest / n;
        }
        return idx;
    }
}
