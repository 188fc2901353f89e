package dev.fovea.image.corrupt;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.plugins.jpeg.JPEGQTable;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against PIL's round trips in {@code fixtures/golden/jpeg} (made by {@code fixtures/make_jpeg_golden.py}). */
class JpegCompressionTest {
    private static final int[] QUALITIES = {80, 65, 58, 50, 40, 25, 18, 15, 10, 7};

    private static Tensor golden(String name) throws Exception {
        Path p = FixturePaths.fixture("golden", "jpeg", name + ".npy");
        return Npy.readImages(p);
    }

    /** Largest difference in 8-bit levels. */
    private static int levels(Tensor a, Tensor b) {
        int worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.round(Math.abs(a.data()[i] - b.data()[i]) * 255));
        }
        return worst;
    }

    @Test
    void sameLevelsAsPilAtEveryPublishedQuality() throws Exception {
        JpegCompression jpeg = new JpegCompression();
        Tensor rgb = golden("input_rgb");
        Tensor gray = golden("input_gray");
        for (int q : QUALITIES) {
            JpegCompression.Params p = new JpegCompression.Params(q);
            assertArrayEquals(golden("rgb_q" + q).data(), jpeg.apply(rgb, p, 0, 0).data(), "colour at quality " + q);
            Tensor g = jpeg.apply(gray, p, 0, 0);
            assertArrayEquals(golden("gray_q" + q).data(), g.data(), "grayscale at quality " + q);
            // the imagecorruptions package's route for grayscale (through RGB) lands on the same levels here
            assertArrayEquals(golden("gray_via_rgb_q" + q).data(), g.data(), "grayscale through RGB at quality " + q);
        }
    }

    /**
     * Quality 100 quantises by 1, so a one-channel JPEG comes back within the DCT's rounding (PIL: at most 1 level on
     * this image); colour loses the chroma detail that 4:2:0 halves (PIL: 5.1 levels on average, 32 at most).
     */
    @Test
    void qualityHundredIsClose() throws Exception {
        JpegCompression jpeg = new JpegCompression();
        Tensor gray = golden("input_gray");
        assertTrue(levels(gray, jpeg.apply(gray, new JpegCompression.Params(100), 0, 0)) <= 1);
        Tensor rgb = golden("input_rgb");
        double best = meanLevels(rgb, jpeg.apply(rgb, new JpegCompression.Params(100), 0, 0));
        double worst = meanLevels(rgb, jpeg.apply(rgb, new JpegCompression.Params(7), 0, 0));
        assertTrue(best < 6, "quality 100 moved values by " + best + " levels on average");
        assertTrue(worst > 2 * best, "quality 7 (" + worst + " levels) should lose more than quality 100 (" + best + ")");
    }

    private static double meanLevels(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += Math.abs(a.data()[i] - b.data()[i]) * 255;
        }
        return s / a.size();
    }

    @Test
    void tablesAreLibjpegs() {
        // quality 50 is the Annex K table; 80 scales by 40%; 7 by 5000 / 7 = 714% (integer division), at most 255
        assertArrayEquals(JPEGQTable.K1Luminance.getTable(), JpegCompression.table(JPEGQTable.K1Luminance, 50).getTable());
        assertEquals((16 * 40 + 50) / 100, JpegCompression.table(JPEGQTable.K1Luminance, 80).getTable()[0]);
        assertEquals((16 * 714 + 50) / 100, JpegCompression.table(JPEGQTable.K1Luminance, 7).getTable()[0]);
        assertEquals(255, JpegCompression.table(JPEGQTable.K2Chrominance, 7).getTable()[63]);
        assertEquals(1, JpegCompression.table(JPEGQTable.K1Luminance, 100).getTable()[0]);
    }

    @Test
    void colourIsFourTwoZeroAndGrayscaleOneChannel() throws Exception {
        float[] img = golden("input_rgb").data();
        byte[] colour = JpegCompression.encode(img, 3, 24, 40, 80);
        assertArrayEquals(new int[] {3, 0x22, 0x11, 0x11}, frame(colour));
        byte[] gray = JpegCompression.encode(golden("input_gray").data(), 1, 24, 40, 80);
        assertEquals(1, frame(gray)[0]);
    }

    /** From the baseline frame header (SOF0): the component count and each component's sampling byte. */
    private static int[] frame(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xC0) {
                int n = jpeg[i + 9] & 0xff;
                int[] out = new int[1 + n];
                out[0] = n;
                for (int k = 0; k < n; k++) {
                    out[1 + k] = jpeg[i + 11 + 3 * k] & 0xff;
                }
                return out;
            }
            i += 2 + length;
        }
        throw new AssertionError("no SOF0 marker");
    }

    @Test
    void refusesQualitiesOutsideTheScale() {
        assertThrows(IllegalArgumentException.class, () -> new JpegCompression.Params(101));
        assertThrows(IllegalArgumentException.class, () -> new JpegCompression.Params(-1));
    }
}
