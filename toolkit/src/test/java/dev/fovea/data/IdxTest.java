package dev.fovea.data;

import dev.fovea.io.HostileFiles;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    @TempDir
    Path dir;

    static byte[] pixels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        return b;
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void roundTrip(boolean gzip) throws IOException {
        byte[] px = pixels(3 * 4 * 5);
        Path images = dir.resolve("x-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        Path labels = dir.resolve("x-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
        Idx.writeImages(images, px, 3, 4, 5, gzip);
        Idx.writeLabels(labels, new int[] {2, 0, 255}, gzip);

        byte[] head = Arrays.copyOf(Files.readAllBytes(images), 2);
        assertEquals(gzip, head[0] == (byte) 0x1f && head[1] == (byte) 0x8b, "gzip magic bytes");
        Tensor t = Idx.readImages(images);
        assertEquals(Shape.of(3, 1, 4, 5), t.shape());
        for (int i = 0; i < px.length; i++) {
            assertEquals((px[i] & 0xff) / 255f, t.data()[i], "pixel " + i);
        }
        assertArrayEquals(new int[] {2, 0, 255}, Idx.readLabels(labels));
        assertEquals(labels, Idx.labelsBeside(images));
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        Path images = dir.resolve("plain-name-images-idx3-ubyte");
        Idx.writeImages(images, pixels(8), 2, 2, 2, true);
        assertEquals(Shape.of(2, 1, 2, 2), Idx.readImages(images).shape());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedFileIsRejected(boolean gzip) throws IOException {
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        Idx.writeImages(images, pixels(10 * 28 * 28), 10, 28, 28, false);
        byte[] all = Files.readAllBytes(images);
        byte[] cut = Arrays.copyOf(all, all.length - 100);
        Path broken = dir.resolve("broken-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        if (gzip) {
            // a complete gzip stream holding a cut IDX file
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(broken))) {
                out.write(cut);
            }
        } else {
            Files.write(broken, cut);
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(broken));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(broken.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("10x28x28 = 7840 pixel bytes, found 7740"), e.getMessage());
    }

    @Test
    void cutGzipStreamIsRejected() throws IOException {
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        Idx.writeImages(images, pixels(10 * 28 * 28), 10, 28, 28, true);
        byte[] z = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(z, z.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(images));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void extraBytesAreRejected() throws IOException {
        Path labels = dir.resolve("labels");
        Idx.writeLabels(labels, new int[] {1, 2, 3}, false);
        Files.write(labels, new byte[] {9, 9}, StandardOpenOption.APPEND);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readLabels(labels));
        assertTrue(e.getMessage().contains("3 label bytes, found 2 bytes more"), e.getMessage());
    }

    @Test
    void wrongMagicIsRejected() throws IOException {
        Path labels = dir.resolve("t10k-labels-idx1-ubyte");
        Idx.writeLabels(labels, new int[] {1, 2, 3}, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains("expected an IDX images file (magic 0x00000803), got an IDX labels file"), e.getMessage());

        Path png = dir.resolve("not-idx.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        e = assertThrows(DataFormatException.class, () -> Idx.readLabels(png));
        assertTrue(e.getMessage().startsWith(png + ": not an IDX file"), e.getMessage());
        assertTrue(e.getMessage().contains("0x89504e47"), e.getMessage());

        Path ints = dir.resolve("ints");
        Files.write(ints, new byte[] {0, 0, 0x0c, 1, 0, 0, 0, 0});
        e = assertThrows(DataFormatException.class, () -> Idx.readLabels(ints));
        assertTrue(e.getMessage().contains("element type 0x0c"), e.getMessage());
    }

    @Test
    void headerCutShortIsTruncated() throws IOException {
        Path images = dir.resolve("short");
        Files.write(images, new byte[] {0, 0, 8, 3, 0, 0});
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(images));
        assertTrue(e.getMessage().contains("truncated IDX file: it ends inside the 16-byte header"), e.getMessage());
    }

    @Test
    void readChecksCountsAndClasses() throws IOException {
        Path images = dir.resolve("a-images-idx3-ubyte");
        Path labels = dir.resolve("a-labels-idx1-ubyte");
        Idx.writeImages(images, pixels(3 * 2 * 2), 3, 2, 2, false);
        Idx.writeLabels(labels, new int[] {0, 1}, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(images, labels, List.of("a", "b"), "t"));
        assertTrue(e.getMessage().contains("expected 3 labels"), e.getMessage());

        Idx.writeLabels(labels, new int[] {0, 1, 2}, false);
        e = assertThrows(DataFormatException.class, () -> Idx.read(images, labels, List.of("a", "b"), "t"));
        assertTrue(e.getMessage().contains("label 2 of sample 2"), e.getMessage());

        Dataset d = Idx.read(images, labels, List.of("a", "b", "c"), "t");
        assertEquals(3, d.size());
        assertEquals(Shape.of(1, 2, 2), d.sampleShape());
    }

    @Test
    void labelsBesideFindsRawOrGzip() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        Files.write(images, new byte[0]);
        assertThrows(DataNotFoundException.class, () -> Idx.labelsBeside(images));
        Path gz = dir.resolve("train-labels-idx1-ubyte.gz");
        Files.write(gz, new byte[0]);
        assertEquals(gz, Idx.labelsBeside(images));
        assertEquals(gz, Idx.labelsBeside(dir.resolve("train-images-idx3-ubyte.gz")));
        Path raw = dir.resolve("train-labels-idx1-ubyte");
        Files.write(raw, new byte[0]);
        assertEquals(raw, Idx.labelsBeside(images));
    }

    @Test
    void missingFileIsNotFound() {
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> Idx.readImages(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope: no such file"), e.getMessage());
    }

    @Test
    void writeChecksPixelCount() {
        assertThrows(IllegalArgumentException.class, () -> Idx.writeImages(dir.resolve("x"), new byte[5], 1, 2, 2, false));
        assertThrows(IllegalArgumentException.class, () -> Idx.writeLabels(dir.resolve("y"), new int[] {256}, false));
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void aHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAllocating(boolean gzip) throws IOException {
        Path images = dir.resolve("x-images-idx3-ubyte" + (gzip ? ".gz" : ""));
        HostileFiles.idx(images, Idx.IMAGES_MAGIC, new int[] {2_000_000, 28, 28}, pixels(10 * 784), gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(images));
        assertTrue(e.getMessage().contains("header promises 2000000x28x28 = 1568000000 pixel bytes, found 7840"), e.getMessage());
        Path labels = dir.resolve("x-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
        HostileFiles.idx(labels, Idx.LABELS_MAGIC, new int[] {2_000_000_000}, new byte[3], gzip);
        e = assertThrows(DataFormatException.class, () -> Idx.readLabels(labels));
        assertTrue(e.getMessage().contains("header promises 2000000000 label bytes, found 3"), e.getMessage());
    }

    @Test
    void imagesOverThePixelCapAreRefused() throws IOException {
        Path images = dir.resolve("x-images-idx3-ubyte");
        HostileFiles.idx(images, Idx.IMAGES_MAGIC, new int[] {1, 10_000, 10_000}, new byte[0], false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(images));
        assertTrue(e.getMessage().contains("10000x10000 pixels, more than the 67108864"), e.getMessage());
    }
}
