package dev.fovea.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rational tanh of {@link Activation.Tanh} against {@link Math#tanh}, over the floats that matter. */
class TanhApproximationTest {
    @Test
    void withinBoundOfTanhOnAFineSweep() {
        double worst = 0;
        float at = 0;
        // every 2^-12 step over [-12, 12] plus the tiny magnitudes, where relative error matters
        for (int i = -12 * 4096; i <= 12 * 4096; i++) {
            float x = i / 4096f;
            double err = Math.abs(dev.fovea.kernels.Elementwise.tanh(x) - Math.tanh(x));
            if (err > worst) {
                worst = err;
                at = x;
            }
        }
        assertTrue(worst <= 4.2e-7, "tanh: worst absolute error " + worst + " at x=" + at);
        for (float x = 1e-30f; x < 1e-2f; x *= 1.37f) {
            for (float s : new float[] {x, -x}) {
                double rel = Math.abs(dev.fovea.kernels.Elementwise.tanh(s) - Math.tanh(s)) / Math.abs(Math.tanh(s));
                assertTrue(rel <= 3e-7, "tanh: relative error " + rel + " at x=" + s);
            }
        }
    }

    @Test
    void saturatesAndPropagatesNaN() {
        assertEquals(1f, dev.fovea.kernels.Elementwise.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, dev.fovea.kernels.Elementwise.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, dev.fovea.kernels.Elementwise.tanh(30f));
        assertEquals(0f, dev.fovea.kernels.Elementwise.tanh(0f));
        assertTrue(Float.isNaN(dev.fovea.kernels.Elementwise.tanh(Float.NaN)));
    }
}
