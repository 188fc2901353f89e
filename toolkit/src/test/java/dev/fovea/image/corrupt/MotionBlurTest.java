package dev.fovea.image.corrupt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ImageMagick's motion-blur kernel, derived by hand for radius 1 and sigma 1. */
class MotionBlurTest {
    /** {@code exp(-i^2 / 2)} for {@code i = 0, 1, 2}, normalised: ImageMagick's three taps for radius 1, sigma 1. */
    private static final double E1 = Math.exp(-0.5);
    private static final double E2 = Math.exp(-2);
    private static final double[] TAPS = {1 / (1 + E1 + E2), E1 / (1 + E1 + E2), E2 / (1 + E1 + E2)};

    @Test
    void weightsAreOneSidedGaussianTaps() {
        assertArrayEquals(TAPS, MotionBlur.weights(1, 1), 1e-15);
        assertEquals(5, MotionBlur.weights(1.5, 1).length, "2 ceil(radius) + 1 taps");
        assertArrayEquals(new double[] {1}, MotionBlur.weights(0, 0), 0.0);
    }

    @Test
    void offsetsFollowImageMagicksRounding() {
        // ceil(i cos(a) - 0.5), ceil(i sin(a) - 0.5): at 0 degrees along the row, at 90 down the column
        assertArrayEquals(new int[] {2, 0}, MotionBlur.offset(2, 0));
        assertArrayEquals(new int[] {0, 2}, MotionBlur.offset(2, 90));
        // at 45 degrees: 0.707 - 0.5 -> 1 and 1.414 - 0.5 -> 1, so taps 1 and 2 share a pixel
        assertArrayEquals(new int[] {1, 1}, MotionBlur.offset(1, 45));
        assertArrayEquals(new int[] {1, 1}, MotionBlur.offset(2, 45));
        assertArrayEquals(new int[] {0, 0}, MotionBlur.offset(0, -30));
    }

    @Test
    void anImpulseSpreadsBackAlongTheLineWithEdgeReplication() {
        int h = 5;
        int w = 7;
        float[] x = new float[h * w];
        x[2 * w + 4] = 1;
        // out(c, r) = sum_i k_i x(c + dc_i, r + dr_i): the impulse at (4, 2) reaches (4, 2), (3, 2), (2, 2)
        float[] y = MotionBlur.blur(x, 1, h, w, 1, 1, 0);
        for (int i = 0; i < y.length; i++) {
            double want = i == 2 * w + 4 ? TAPS[0] : i == 2 * w + 3 ? TAPS[1] : i == 2 * w + 2 ? TAPS[2] : 0;
            assertEquals(want, y[i], 1e-7, "pixel " + i);
        }
        float[] diag = MotionBlur.blur(x, 1, h, w, 1, 1, 45);
        assertEquals(TAPS[0], diag[2 * w + 4], 1e-7);
        assertEquals(TAPS[1] + TAPS[2], diag[w + 3], 1e-7);
        // the last column reads itself for offsets past the edge (nearest virtual pixels)
        float[] edge = new float[h * w];
        for (int r = 0; r < h; r++) {
            edge[r * w + w - 1] = 1;
        }
        float[] e = MotionBlur.blur(edge, 1, h, w, 1, 1, 0);
        assertEquals(1.0, e[w - 1], 1e-6);
        assertEquals(TAPS[1] + TAPS[2], e[w - 2], 1e-6);
    }
}
