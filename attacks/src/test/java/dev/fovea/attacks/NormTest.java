package dev.fovea.attacks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Steepest directions of gradients with non-finite entries: never NaN, so no attack writes NaN pixels. */
class NormTest {
    @Test
    void lInfTurnsNaNIntoNoDirection() {
        float[] g = {2f, Float.NaN, -3f, 0f, Float.POSITIVE_INFINITY};
        Norm.LINF.steepest(g, 0, g.length);
        assertArrayEquals(new float[] {1f, 0f, -1f, 0f, 1f}, g);
    }

    @Test
    void l2GivesInfiniteEntriesTheUnitStep() {
        float[] g = {5f, Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY};
        Norm.L2.steepest(g, 0, g.length);
        float h = (float) (1 / Math.sqrt(2));
        assertArrayEquals(new float[] {0f, h, 0f, -h}, g, 1e-7f);
        assertEquals(1.0, Norm.L2.measure(g, 0, g.length), 1e-6);
    }

    @Test
    void l2OfFiniteGradientsIsUnchanged() {
        float[] g = {3f, 4f};
        Norm.L2.steepest(g, 0, g.length);
        assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-7f);
    }

    @Test
    void l2WithOnlyNaNGivesNoDirection() {
        float[] g = {Float.NaN, 1f};
        Norm.L2.steepest(g, 0, g.length);
        assertArrayEquals(new float[] {0f, 0f}, g);
    }
}
