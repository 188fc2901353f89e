package dev.fovea.image.corrupt;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plasma fractal of fog and the procedural frost textures. */
class WeatherTest {
    @Test
    void plasmaFractalSpansZeroToOneAtTheRequestedSize() {
        for (int size : new int[] {1, 2, 32, 256}) {
            for (double decay : new double[] {1.4, 3}) {
                double[] m = PlasmaFractal.make(size, decay, new SplittableRandom(size));
                assertEquals(size * size, m.length);
                double lo = Arrays.stream(m).min().orElseThrow();
                double hi = Arrays.stream(m).max().orElseThrow();
                assertEquals(0.0, lo, 0.0, "size " + size);
                assertEquals(size == 1 ? 0.0 : 1.0, hi, 1e-12, "size " + size);
            }
        }
        assertEquals(256, PlasmaFractal.nextPowerOfTwo(224));
        assertEquals(32, PlasmaFractal.nextPowerOfTwo(32));
        assertEquals(64, PlasmaFractal.nextPowerOfTwo(40));
        assertThrows(IllegalArgumentException.class, () -> PlasmaFractal.make(24, 2, new SplittableRandom(1)));
    }

    @Test
    void frostTexturesAreDeterministicPerSeedAndInTheBox() {
        float[] a = FrostTexture.make(7, 32);
        assertArrayEquals(a, FrostTexture.make(7, 32));
        assertFalse(Arrays.equals(a, FrostTexture.make(8, 32)));
        assertEquals(FrostTexture.side(32) * FrostTexture.side(32), a.length);
        double mean = 0;
        for (float v : a) {
            assertTrue(v >= 0f && v <= 1f);
            mean += v / a.length;
        }
        assertTrue(mean > 0.2 && mean < 0.8, "mean brightness " + mean);
        // the registry's textures are the same whichever call made them first
        assertArrayEquals(Frost.texture(2, 40), FrostTexture.make(0x6F72_6F73_7433L, 40));
    }
}
