package dev.fovea.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Peak#measureGflops}: a short measurement gives a positive, finite rate in about the time asked for. How
 * close it comes to the machine's nominal peak depends on the CPU and its other load, so that is not checked.
 */
class PeakTest {
    @Test
    void shortMeasurementIsPositiveFiniteAndQuick() {
        long t0 = System.nanoTime();
        double gflops = Peak.measureGflops(0.05);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(gflops > 0 && Double.isFinite(gflops), "GFLOP/s " + gflops);
        assertTrue(seconds < 5, "took " + seconds + " s");
        assertTrue(Peak.lanes() >= 1, "lanes " + Peak.lanes());
    }

    @Test
    void rejectsNonPositiveOrInfiniteSeconds() {
        assertThrows(IllegalArgumentException.class, () -> Peak.measureGflops(0));
        assertThrows(IllegalArgumentException.class, () -> Peak.measureGflops(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Peak.measureGflops(Double.POSITIVE_INFINITY));
    }
}
