package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContrastTest {
    private static double mean(float[] d, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += d[i];
        }
        return s / n;
    }

    @Test
    void keepsEveryChannelsMeanAndScalesTheSpread() {
        Contrast contrast = new Contrast();
        for (int ch : new int[] {1, 3}) {
            Tensor x = CorruptionDigest.images(2, ch, 17, 40, 3);
            int plane = 17 * 40;
            for (int s = 1; s <= 5; s++) {
                double factor = contrast.parameters(s, 17, 40).factor();
                Tensor y = contrast.apply(x, s, 0);
                for (int k = 0; k < 2 * ch; k++) {
                    double mx = mean(x.data(), k * plane, plane);
                    assertEquals(mx, mean(y.data(), k * plane, plane), 1e-6, "contrast severity " + s + " channel " + k);
                    // each value's distance to the mean shrinks by the factor (the result never needs clipping)
                    for (int i = k * plane; i < (k + 1) * plane; i++) {
                        assertEquals((x.data()[i] - mx) * factor, y.data()[i] - mx, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void factorZeroFlattensEachImageToItsMean() {
        Tensor x = Tensor.of(new float[] {0f, 0.5f, 1f, 0.5f, 0.25f, 0.25f, 0.25f, 0.25f}, 2, 1, 2, 2);
        Tensor y = new Contrast().apply(x, new Contrast.Params(0), 0, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(0.5f, y.data()[i]);
            assertEquals(0.25f, y.data()[4 + i]);
        }
        assertThrows(IllegalArgumentException.class, () -> new Contrast.Params(Double.NaN));
    }
}
