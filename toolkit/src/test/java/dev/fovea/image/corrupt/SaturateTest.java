package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SaturateTest {
    @Test
    void scalesAndShiftsTheSaturationKeepingHueAndValue() {
        Saturate saturate = new Saturate();
        Tensor x = CorruptionDigest.images(1, 3, 20, 20, 4);
        int plane = 400;
        for (int s = 1; s <= 5; s++) {
            Saturate.Params p = saturate.parameters(s, 224, 224);
            Tensor y = saturate.apply(x, p, 0, 0);
            double[] a = new double[3];
            double[] b = new double[3];
            for (int i = 0; i < plane; i++) {
                Hsv.toHsv(x.data()[i], x.data()[plane + i], x.data()[2 * plane + i], a);
                Hsv.toHsv(y.data()[i], y.data()[plane + i], y.data()[2 * plane + i], b);
                double expected = Math.min(1, Math.max(0, a[1] * p.factor() + p.shift()));
                assertEquals(expected, b[1], 1e-5, "saturation at severity " + s + ", pixel " + i);
                assertEquals(a[2], b[2], 1e-6, "value at severity " + s + ", pixel " + i);
                if (b[1] > 1e-3) {
                    assertEquals(0, Math.IEEEremainder(a[0] - b[0], 1), 1e-4, "hue at severity " + s + ", pixel " + i);
                }
            }
        }
    }

    @Test
    void aShiftTintsGrayRedAsThePublishedGeneratorDoes() {
        Tensor gray = Tensor.of(new float[] {0.5f, 0.5f, 0.5f}, 1, 3, 1, 1);
        Tensor y = new Saturate().apply(gray, new Saturate.Params(20, 0.2), 0, 0);
        assertEquals(0.5f, y.data()[0]);
        assertEquals(0.4f, y.data()[1], 1e-7);
        assertEquals(0.4f, y.data()[2], 1e-7);
    }
}
