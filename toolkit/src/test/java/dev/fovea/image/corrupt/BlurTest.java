package dev.fovea.image.corrupt;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blurs keep constant images, their kernels sum to 1, and the zoom follows SciPy's and numpy's conventions. */
class BlurTest {
    @Test
    void blursOfAConstantImageAreThatConstant() {
        Tensor x = Tensor.full(Shape.of(1, 3, 30, 26), 0.375f);
        for (String name : new String[] {"gaussian-blur", "defocus-blur", "motion-blur", "zoom-blur"}) {
            Corruption<?> c = Corruptions.named(name);
            for (int s = 1; s <= 5; s++) {
                for (float v : c.apply(x, s, 4).data()) {
                    assertEquals(0.375f, v, 2e-6f, name + " severity " + s);
                }
            }
        }
        // glass blur quantises to 8 bits between its blurs: a constant stays constant, on its level
        for (float v : Corruptions.named("glass-blur").apply(x, 5, 4).data()) {
            assertEquals((float) (Math.floor(0.375 * 255) / 255), v, 2e-6f);
        }
    }

    @Test
    void diskKernelsSumToOneInsideTheirGridAndAreSymmetric() {
        double[][] cases = {{0.3, 0.4}, {1.5, 0.1}, {3, 0.1}, {8, 0.5}, {10, 0.5}, {8.6, 0.5}};
        for (double[] c : cases) {
            float[] k = DefocusBlur.disk(c[0], c[1]);
            int n = (int) Math.round(Math.sqrt(k.length));
            assertEquals(k.length, n * n);
            assertEquals(1, n % 2);
            double sum = 0;
            for (int i = 0; i < k.length; i++) {
                sum += k[i];
                assertEquals(k[i], k[k.length - 1 - i], 1e-7f, "radius " + c[0]);
            }
            if (c[0] < 8) {
                assertEquals(1.0, sum, 1e-5, "radius " + c[0]);
            } else {
                // the disk touches its grid, and the reflect-101 anti-aliasing folds some weight back in
                assertTrue(sum > 1.005 && sum < 1.02, "radius " + c[0] + " sums to " + sum);
            }
        }
        assertArrayEquals(new float[] {1f}, DefocusBlur.disk(0, 0));
    }

    @Test
    void zoomFactorsAreNumpysArange() {
        assertEquals(7, ZoomBlur.arange(1, 1.06, 0.01).length);
        assertEquals(12, ZoomBlur.arange(1, 1.11, 0.01).length);
        assertEquals(11, ZoomBlur.arange(1, 1.31, 0.03).length);
        assertEquals(1.03, ZoomBlur.arange(1, 1.06, 0.01)[3], 1e-15);
    }

    @Test
    void clippedZoomByOneIsExactAndByTwoRepeatsTheCentre() {
        float[] x = CorruptionDigest.images(1, 2, 9, 8, 3).data();
        float[] out = new float[x.length];
        ZoomBlur.clippedZoom(x, 2, 9, 8, 1.0, out);
        assertArrayEquals(x, out);
        // a 4-pixel crop of a row [0..7] (ceil(8 / 2) = 4, top 2) zoomed to 8 samples at k * 3 / 7 of it
        float[] ramp = new float[8];
        for (int i = 0; i < 8; i++) {
            ramp[i] = i;
        }
        float[] z = new float[8];
        ZoomBlur.clippedZoom(ramp, 1, 1, 8, 2.0, z);
        for (int k = 0; k < 8; k++) {
            assertEquals(2 + k * 3.0 / 7.0, z[k], 1e-6, "sample " + k);
        }
    }
    /**
     * The published generators' "swap" copies the neighbour into the pixel (numpy views): with no blur, every pixel
     * of the shuffled region holds the value one of its up-left neighbours (or itself) had, and nothing travels further.
     */
    @Test
    void glassShuffleCopiesANeighbourAsTheGeneratorsDo() {
        int h = 12, w = 10;
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 251) / 255f;
        }
        Tensor x = Tensor.of(v, 1, 1, h, w);
        GlassBlur g = new GlassBlur();
        Tensor y = g.apply(x, new GlassBlur.Params(0, 1, 1), 4, 0);
        int copied = 0;
        for (int r = 0; r < h; r++) {
            for (int q = 0; q < w; q++) {
                float out = y.data()[r * w + q];
                boolean found = false;
                for (int dy = -1; dy <= 0 && !found; dy++) {
                    for (int dx = -1; dx <= 0 && !found; dx++) {
                        int rr = r + dy, qq = q + dx;
                        found = rr >= 0 && qq >= 0 && v[rr * w + qq] == out;
                    }
                }
                assertTrue(found, "pixel " + r + "," + q + " holds a value from further away: " + out);
                if (out != v[r * w + q]) {
                    copied++;
                }
            }
        }
        assertTrue(copied > 20, "too few pixels changed: " + copied);
    }
}
