package dev.fovea.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Resize} and {@link Resample} against torchvision and Pillow: {@code fixtures/golden/resize}, written by
 * {@code fixtures/make_resize_golden.py} (its {@code cases.json} lists the cases: 64x64 to 32x32 and to 23x19, 50x37
 * stretched, center-cropped and padded to 32x32, wide and tall, gray and RGB, 28x28 upscaled to 32x32). The input PNGs
 * are read by {@link Images#read(Path)} and fitted by {@link Images#fit}, as a user's files are. Tolerances: PyTorch's
 * float result ({@code interpolate(..., antialias=True)}) within 1e-5; PIL's 8-bit result within one level (1/255)
 * per pixel, since PIL rounds each pass to 8 bits, and within half a level on average.
 */
class ResizeTest {
    private static final Path GOLDEN = FixturePaths.fixture("golden", "resize");

    private static Tensor fitted(JsonNode c) throws IOException {
        Tensor raw = Images.read(GOLDEN.resolve(c.get("input").asText()));
        Resize mode = Resize.valueOf(c.get("mode").asText().toUpperCase(Locale.ROOT).replace('-', '_'));
        return Images.fit(raw, raw.dim(1), c.get("height").asInt(), c.get("width").asInt(), mode);
    }

    private static List<JsonNode> cases() throws IOException {
        JsonNode m = new ObjectMapper().readTree(GOLDEN.resolve("cases.json").toFile());
        List<JsonNode> out = new java.util.ArrayList<>();
        m.get("cases").forEach(out::add);
        return out;
    }

    @Test
    void everyModeMatchesTorchvisionAndPillow() throws IOException {
        List<JsonNode> cases = cases();
        assertEquals(15, cases.size(), "cases in cases.json");
        int withTorch = 0;
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            Tensor got = fitted(c);
            Tensor pil = Npy.readImages(GOLDEN.resolve(c.get("pil").asText()));
            assertEquals(pil.shape(), got.shape(), name);
            double worst = 0;
            double sum = 0;
            for (int i = 0; i < got.size(); i++) {
                double d = Math.abs(got.data()[i] - pil.data()[i]) * 255;
                worst = Math.max(worst, d);
                sum += d;
            }
            double mean = sum / got.size();
            assertTrue(worst <= 1 + 1e-3, name + ": " + worst + " levels from PIL at worst");
            assertTrue(mean < 0.5, name + ": " + mean + " levels from PIL on average");
            if (c.has("torch")) {
                withTorch++;
                Tensor torch = Npy.readImages(GOLDEN.resolve(c.get("torch").asText()));
                assertArrayEquals(torch.data(), got.data(), 1e-5f, name + ": PyTorch's antialiased interpolate");
            }
        }
        assertEquals(6, withTorch, "stretch cases with a float reference");
    }

    /** The golden test can fail: plain bilinear (no antialiasing) is far from PIL on the 2x downscale. */
    @Test
    void plainBilinearIsFarFromPillow() throws IOException {
        Tensor raw = Images.read(GOLDEN.resolve("rgb_64x64.png"));
        Tensor pil = Npy.readImages(GOLDEN.resolve("rgb_64_to_32_pil.npy"));
        Tensor plain = Bilinear.resize(raw, 32, 32);
        double worst = 0;
        for (int i = 0; i < plain.size(); i++) {
            worst = Math.max(worst, Math.abs(plain.data()[i] - pil.data()[i]) * 255);
        }
        assertTrue(worst > 10, "plain bilinear within " + worst + " levels of PIL");
    }

    @Test
    void aConstantStaysConstantAndPadFillsWithZeros() {
        Tensor t = Tensor.full(Shape.of(1, 3, 37, 50), 0.4f);
        for (Resize mode : Resize.values()) {
            for (int[] size : new int[][] {{32, 32}, {20, 80}, {100, 30}, {1, 1}, {37, 50}}) {
                Tensor r = mode.apply(t, size[0], size[1]);
                assertEquals(Shape.of(1, 3, size[0], size[1]), r.shape(), mode + " " + size[0] + "x" + size[1]);
                int zeros = 0;
                for (float v : r.data()) {
                    if (v == 0f) {
                        zeros++;
                    } else {
                        assertEquals(0.4f, v, 1e-6f, mode + " " + size[0] + "x" + size[1]);
                    }
                }
                boolean sameRatio = size[0] * 50 == size[1] * 37;
                assertEquals(mode == Resize.PAD && !sameRatio && size[0] > 1, zeros > 0, mode + " " + size[0] + "x" + size[1] + ": zeros");
            }
        }
        // 50x37 padded to 32x32: the image is 32 wide and round(37 / 50 * 32) = 24 high, 4 rows of zeros above and below
        Tensor p = Resize.PAD.apply(t, 32, 32);
        assertEquals(0f, p.get(0, 0, 3, 10));
        assertEquals(0.4f, p.get(0, 0, 4, 10), 1e-6f);
        assertEquals(0.4f, p.get(0, 2, 27, 31), 1e-6f);
        assertEquals(0f, p.get(0, 2, 28, 0));
    }

    @Test
    void anImageOfTheTargetSizeIsLeftAlone() {
        Tensor t = Tensor.uniform(Shape.of(1, 1, 9, 7), 0f, 1f, 1);
        for (Resize mode : Resize.values()) {
            assertSame(t, mode.apply(t, 9, 7), mode.toString());
        }
        assertArrayEquals(t.data(), Resample.resize(t, 9, 7).data());
    }

    @Test
    void squareImagesGiveTheSameInEveryModeAndCenterCropIsResizeThenCrop() {
        Tensor sq = Tensor.uniform(Shape.of(3, 40, 40), 0f, 1f, 2);
        assertArrayEquals(Resize.STRETCH.apply(sq, 24, 24).data(), Resize.CENTER_CROP.apply(sq, 24, 24).data());
        assertArrayEquals(Resize.STRETCH.apply(sq, 24, 24).data(), Resize.PAD.apply(sq, 24, 24).data());
        // the window computed alone equals the whole resized image cropped
        Tensor wide = Tensor.uniform(Shape.of(2, 30, 71), 0f, 1f, 3);
        Tensor whole = Resample.resize(wide, 17, 40);
        Tensor window = Resample.region(wide, 17, 40, 0, 11, 17, 17);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 17; y++) {
                for (int x = 0; x < 17; x++) {
                    assertEquals(whole.get(c, y, 11 + x), window.get(c, y, x), 0f, "at " + c + "," + y + "," + x);
                }
            }
        }
        // 30x71 to 17x17: short side 30 -> 17, long trunc(17 * 71 / 30) = 40, left offset round(23 / 2) = 12 (half to even)
        Tensor cc = Resize.CENTER_CROP.apply(wide, 17, 17);
        assertArrayEquals(Resample.region(wide, 17, 40, 0, 12, 17, 17).data(), cc.data());
    }

    @Test
    void upscalingIsPlainBilinear() {
        Tensor t = Tensor.uniform(Shape.of(1, 2, 5, 6), 0f, 1f, 4);
        assertArrayEquals(Bilinear.resize(t, 13, 9).data(), Resample.resize(t, 13, 9).data(), 1e-6f);
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor t = Tensor.zeros(1, 3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> Resize.CENTER_CROP.apply(t, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Resize.PAD.apply(Tensor.zeros(2, 3, 4, 4), 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Resample.resize(Tensor.zeros(4, 4), 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Images.fit(t, 2, 4, 4, Resize.STRETCH));
        assertThrows(IllegalArgumentException.class, () -> Images.fit(Tensor.zeros(1, 2, 4, 4), 3, 4, 4, Resize.STRETCH));
    }

    @Test
    void channelsAreConvertedAsTheReaderConvertsThem() {
        Tensor rgb = Tensor.of(new float[] {1f, 0.2f, 0f, 0.2f, 0f, 0.2f}, 1, 3, 1, 2);
        Tensor gray = Images.fit(rgb, 1, 1, 2, Resize.STRETCH);
        assertArrayEquals(new float[] {0.299f, 0.2f}, gray.data(), 1e-6f);
        Tensor back = Images.fit(gray, 3, 1, 2, Resize.STRETCH);
        assertArrayEquals(new float[] {0.299f, 0.2f, 0.299f, 0.2f, 0.299f, 0.2f}, back.data(), 1e-6f);
    }

    @Test
    void fittingCountsWhatWasDoneAndSaysIt() {
        Shape target = Shape.of(3, 32, 32);
        Fitting none = Fitting.of(Resize.CENTER_CROP, target, List.of(Shape.of(1, 3, 32, 32), Shape.of(1, 3, 32, 32)));
        assertEquals(0, none.resized());
        assertNull(none.describe());
        Fitting same = Fitting.of(Resize.CENTER_CROP, target, List.of(Shape.of(1, 3, 64, 64), Shape.of(1, 3, 64, 64)));
        assertEquals("resizing 2 images from 64x64 to 32x32 (center-crop, antialiased)", same.describe());
        Fitting mixed = Fitting.of(Resize.PAD, target, List.of(Shape.of(1, 1, 375, 500), Shape.of(1, 3, 32, 32), Shape.of(1, 1, 40, 48)));
        assertEquals(2, mixed.resized());
        assertEquals(2, mixed.toRgb());
        assertEquals(new Fitting.Size(48, 40), mixed.smallest());
        assertEquals("resizing 2 of 3 images of 2 sizes (48x40 to 500x375) to 32x32 (pad, antialiased); converting 2 gray images to RGB"
                + " for a 3-channel model", mixed.describe());
        Fitting gray = Fitting.of(Resize.STRETCH, Shape.of(1, 28, 28), List.of(Shape.of(1, 3, 28, 28)));
        assertEquals("converting 1 RGB image to gray for a 1-channel model", gray.describe());
    }
}
