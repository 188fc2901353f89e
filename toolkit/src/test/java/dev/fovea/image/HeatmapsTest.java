package dev.fovea.image;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatmapsTest {
    @Test
    void colourMapsMatchTheirPublishedEnds() {
        assertEquals(256, ColorMap.VIRIDIS.entries());
        assertArrayEquals(new float[] {0.267004f, 0.004874f, 0.329415f}, ColorMap.VIRIDIS.rgb(0), 1e-6f);
        assertArrayEquals(new float[] {0.993248f, 0.906157f, 0.143936f}, ColorMap.VIRIDIS.rgb(1), 1e-6f);
        assertEquals(0x053061, ColorMap.RDBU.packed(0));
        assertEquals(0xf7f7f7, ColorMap.RDBU.packed(0.5));
        assertEquals(0x67001f, ColorMap.RDBU.packed(1));
        assertEquals(ColorMap.VIRIDIS.packed(0), ColorMap.VIRIDIS.packed(-3), "clamped below");
    }

    @Test
    void viridisGetsLighterMonotonically() {
        double last = -1;
        for (int i = 0; i <= 255; i++) {
            float[] c = ColorMap.VIRIDIS.rgb(i / 255.0);
            double luma = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            assertTrue(luma > last, "entry " + i);
            last = luma;
        }
    }

    @Test
    void signedMapsAreCentredOnWhiteAndScaledByTheRobustMaximum() {
        float[] v = new float[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i - 50;
        }
        Tensor coloured = Heatmaps.colour(Tensor.of(v, 1, 10, 10), true);
        assertEquals(3, coloured.dim(0));
        assertEquals(0xf7f7f7, pixel(coloured, 50), "zero is white");
        assertEquals(49.0, Heatmaps.scale(v), 1e-9);
        assertEquals(0x053061, pixel(coloured, 0), "below -scale clamps to the blue end");
        Tensor overlay = Heatmaps.overlay(Tensor.full(dev.fovea.tensor.Shape.of(1, 10, 10), 1f), coloured, 0);
        assertEquals(1f, overlay.data()[7], 0f);
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.overlay(Tensor.zeros(1, 10, 10), coloured, 2));
    }

    @Test
    void anExplicitScaleSetsWhereTheColoursEnd() {
        float[] v = {-4, -1, 0, 1, 2, 4};
        Tensor map = Tensor.of(v, 1, 1, 6);
        Tensor at2 = Heatmaps.colour(map, true, 2);
        assertEquals(ColorMap.RDBU.packed(1), pixel(at2, 4), "+scale is the red end");
        assertEquals(ColorMap.RDBU.packed(1), pixel(at2, 5), "beyond +scale too");
        assertEquals(ColorMap.RDBU.packed(0.25), pixel(at2, 1), "-scale/2 is a quarter of the way");
        assertEquals(ColorMap.VIRIDIS.packed(0.25), pixel(Heatmaps.colour(map, false, 4), 3));
        assertArrayEquals(Heatmaps.colour(map, true).data(), Heatmaps.colour(map, true, Heatmaps.scale(map)).data(), "without a scale: its own");
        Tensor grey = Tensor.full(dev.fovea.tensor.Shape.of(1, 1, 6), 0.5f);
        assertArrayEquals(Heatmaps.overlay(grey, map, true, 0.8).data(), Heatmaps.overlay(grey, map, true, 0.8, Heatmaps.scale(map)).data());
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.colour(map, true, -1));
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.colour(map, true, Double.NaN));
    }

    @Test
    void aSharedScaleIsThePercentileOverAllMaps() {
        float[] a = new float[100];
        float[] b = new float[100];
        float[] both = new float[200];
        for (int i = 0; i < 100; i++) {
            a[i] = i;
            b[i] = -3 * i;
            both[i] = a[i];
            both[100 + i] = b[i];
        }
        double s = Heatmaps.scale(java.util.List.of(Tensor.of(a, 1, 10, 10), Tensor.of(b, 1, 10, 10)));
        assertEquals(Heatmaps.scale(both), s, 1e-9);
        assertTrue(s > Heatmaps.scale(Tensor.of(a, 1, 10, 10)), "the stronger map sets it");
        assertEquals(0, Heatmaps.scale(java.util.List.of()), 0);
    }

    private static int pixel(Tensor rgb, int i) {
        int hw = rgb.dim(1) * rgb.dim(2);
        int r = Math.round(255 * rgb.data()[i]);
        int g = Math.round(255 * rgb.data()[hw + i]);
        int b = Math.round(255 * rgb.data()[2 * hw + i]);
        return (r << 16) | (g << 8) | b;
    }
}
