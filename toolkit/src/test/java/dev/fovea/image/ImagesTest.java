package dev.fovea.image;

import dev.fovea.data.DataFormatException;
import dev.fovea.data.DataNotFoundException;
import dev.fovea.io.HostileFiles;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagesTest {
    @TempDir
    Path dir;

    /** A [C,H,W] tensor of 8-bit values k/255, different at every position. */
    static Tensor eightBit(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((i * 53 + 7) % 256) / 255f;
        }
        return Tensor.of(d, c, h, w);
    }

    @Test
    void grayPngRoundTripIsExact() throws IOException {
        Tensor t = eightBit(1, 7, 9);
        Path p = dir.resolve("gray.png");
        Images.writePng(p, t);
        Tensor back = Images.read(p);
        assertEquals(Shape.of(1, 1, 7, 9), back.shape());
        assertArrayEquals(t.data(), back.data());
        assertArrayEquals(t.data(), Images.read(p, 1, 7, 9).data());
        Tensor rgb = Images.read(p, 3, 7, 9);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 63; i++) {
                assertEquals(t.data()[i], rgb.data()[k * 63 + i], "gray repeated in channel " + k);
            }
        }
    }

    @Test
    void rgbPngRoundTripIsExact() throws IOException {
        Tensor t = eightBit(3, 5, 6).reshape(1, 3, 5, 6);
        Path p = dir.resolve("rgb.png");
        Images.writePng(p, t);
        Tensor back = Images.read(p);
        assertEquals(Shape.of(1, 3, 5, 6), back.shape());
        assertArrayEquals(t.data(), back.data());

        Tensor gray = Images.read(p, 1, 5, 6);
        float[] d = t.data();
        for (int i = 0; i < 30; i++) {
            float luma = 0.299f * d[i] + 0.587f * d[30 + i] + 0.114f * d[60 + i];
            assertEquals(luma, gray.data()[i], 1e-6f, "luma at " + i);
        }
    }

    @Test
    void writeClipsToUnitRange() throws IOException {
        Path p = dir.resolve("clip.png");
        Images.writePng(p, Tensor.of(new float[] {-0.5f, 2f, Float.NaN, 0.5f}, 1, 2, 2));
        assertArrayEquals(new float[] {0f, 1f, 0f, 128 / 255f}, Images.read(p).data());
        assertThrows(ShapeException.class, () -> Images.writePng(p, Tensor.zeros(2, 4, 4)));
        assertThrows(ShapeException.class, () -> Images.toImage(Tensor.zeros(2, 1, 4, 4)));
    }

    @Test
    void alphaIsCompositedOverBlack() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00ffffff); // transparent white
        img.setRGB(1, 0, 0xffff0000); // opaque red
        Path p = dir.resolve("alpha.png");
        ImageIO.write(img, "png", p.toFile());
        Tensor t = Images.read(p, 3, 1, 2);
        assertArrayEquals(new float[] {0f, 1f, 0f, 0f, 0f, 0f}, t.data());
    }

    @Test
    void jpegBmpAndGifAreRead() throws IOException {
        BufferedImage img = Images.toImage(Tensor.full(Shape.of(3, 8, 8), 0.5f));
        for (String format : new String[] {"jpeg", "bmp", "gif"}) {
            Path p = dir.resolve("x." + format);
            assertTrue(ImageIO.write(img, format, p.toFile()), format);
            Tensor t = Images.read(p, 3, 4, 4);
            assertEquals(Shape.of(1, 3, 4, 4), t.shape());
            for (float v : t.data()) {
                assertEquals(0.5f, v, 0.02f, format);
            }
        }
    }

    @Test
    void resizeKeepsAConstantImageConstant() {
        Tensor t = Tensor.full(Shape.of(1, 2, 5, 7), 0.3f);
        for (int[] size : new int[][] {{10, 14}, {3, 2}, {1, 1}, {13, 5}}) {
            Tensor r = Bilinear.resize(t, size[0], size[1]);
            assertEquals(Shape.of(1, 2, size[0], size[1]), r.shape());
            for (float v : r.data()) {
                assertEquals(0.3f, v, 1e-7f);
            }
        }
    }

    @Test
    void halfSizeGivesTheMeanOfEach2x2Block() {
        Tensor t = Tensor.uniform(Shape.of(2, 6, 8), 0f, 1f, 3);
        Tensor r = Bilinear.resize(t, 3, 4);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    float mean = (t.get(c, 2 * i, 2 * j) + t.get(c, 2 * i, 2 * j + 1)
                            + t.get(c, 2 * i + 1, 2 * j) + t.get(c, 2 * i + 1, 2 * j + 1)) / 4;
                    assertEquals(mean, r.get(c, i, j), 1e-6f, "block " + c + "," + i + "," + j);
                }
            }
        }
    }

    @Test
    void doubleSizeMatchesPyTorch() {
        // torch.nn.functional.interpolate(torch.tensor([[[[0., 1.], [2., 3.]]]]), size=(4, 4), mode='bilinear',
        // align_corners=False)
        Tensor r = Bilinear.resize(Tensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2), 4, 4);
        assertArrayEquals(new float[] {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f}, r.data(), 1e-6f);
    }

    @Test
    void readResizesToTheRequestedSize() throws IOException {
        Path p = dir.resolve("big.png");
        Images.writePng(p, Tensor.full(Shape.of(1, 20, 30), 64 / 255f));
        Tensor t = Images.read(p, 3, 10, 15);
        assertEquals(Shape.of(1, 3, 10, 15), t.shape());
        for (float v : t.data()) {
            assertEquals(64 / 255f, v, 1e-6f);
        }
    }

    @Test
    void corruptOrMissingFilesAreReported() throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.read(text));
        assertTrue(e.getMessage().startsWith(text + ": not a readable image"), e.getMessage());

        Path good = dir.resolve("good.png");
        Images.writePng(good, eightBit(3, 16, 16));
        byte[] b = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        e = assertThrows(DataFormatException.class, () -> Images.read(cut, 3, 16, 16));
        assertTrue(e.getMessage().startsWith(cut + ": corrupt or unsupported image"), e.getMessage());

        assertThrows(DataNotFoundException.class, () -> Images.read(dir.resolve("missing.png")));
    }

    @Test
    void imagesOverThePixelCapAreRefusedFromTheHeader() throws IOException {
        Path png = dir.resolve("big.png");
        HostileFiles.blackPng(png, 40000, 40000);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.read(png));
        assertTrue(e.getMessage().contains("big.png: image of 40000x40000 = 1600000000 pixels, more than the 67108864"), e.getMessage());
        Path jpg = dir.resolve("big.jpg");
        HostileFiles.jpegClaiming(jpg, 40000, 40000);
        e = assertThrows(DataFormatException.class, () -> Images.read(jpg, 3, 8, 8));
        assertTrue(e.getMessage().contains("big.jpg: image of 40000x40000"), e.getMessage());
    }

    @Test
    void filesTooShortForThePixelsTheyDeclareAreRefused() throws IOException {
        // A valid 4000 x 4000 black PNG deflates to about 16 KB; its first kilobyte cannot hold 16 million pixels.
        Path png = dir.resolve("cut.png");
        HostileFiles.blackPng(png, 4000, 4000);
        byte[] all = Files.readAllBytes(png);
        Files.write(png, java.util.Arrays.copyOf(all, 1000));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Images.read(png));
        assertTrue(e.getMessage().contains("truncated image: a 4000x4000 PNG needs at least 15507 bytes, the file has 1000"), e.getMessage());
        Path jpg = dir.resolve("cut.jpg");
        HostileFiles.jpegClaiming(jpg, 8000, 8000);
        e = assertThrows(DataFormatException.class, () -> Images.read(jpg));
        assertTrue(e.getMessage().contains("a 8000x8000 JPEG needs at least 62500 bytes"), e.getMessage());
        Path whole = dir.resolve("whole.png");
        Files.write(whole, all);
        assertEquals(Shape.of(1, 1, 4000, 4000), Images.read(whole).shape(), "deflate's best ratio still passes");
    }
}
