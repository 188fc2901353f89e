package dev.fovea.data;

import dev.fovea.io.HostileFiles;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file with a hand-written header: version 1.0, the dict as given, padded to 64 bytes. */
    static byte[] npy(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        int pad = 64 - (6 + 2 + lengthBytes + dict.length() + 1) % 64;
        int len = dict.length() + pad + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer b = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            b.putShort((short) len);
        } else {
            b.putInt(len);
        }
        out.writeBytes(b.array());
        out.writeBytes((dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void float32RoundTrip() throws IOException {
        Tensor t = Tensor.uniform(Shape.of(2, 3, 4, 5), 0f, 1f, 7);
        Path p = dir.resolve("x.npy");
        Npy.write(p, t);
        NpyArray a = Npy.read(p);
        assertEquals("<f4", a.dtype());
        assertArrayEquals(new int[] {2, 3, 4, 5}, a.shape());
        assertArrayEquals(t.data(), a.floats());
        assertNull(a.longs());
        Tensor back = Npy.readImages(p);
        assertEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data());
    }

    @Test
    void int64RoundTrip() throws IOException {
        Path p = dir.resolve("y.npy");
        long[] v = {0, -1, Long.MAX_VALUE, 42, 7, 9};
        Npy.write(p, v, new int[] {2, 3});
        NpyArray a = Npy.read(p);
        assertEquals("<i8", a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(v, a.longs());

        Path labels = dir.resolve("labels.npy");
        Npy.writeLabels(labels, new int[] {3, 1, 4, 1, 5});
        assertEquals("<i8", Npy.read(labels).dtype());
        assertArrayEquals(new int[] {3, 1, 4, 1, 5}, Npy.readLabels(labels));
    }

    @Test
    void headerIsPaddedTo64BytesAndEndsInNewline() throws IOException {
        for (int[] shape : new int[][] {{}, {3}, {2, 3}, {1000, 1, 28, 28}}) {
            Path p = dir.resolve("h.npy");
            Npy.write(p, Tensor.zeros(shape));
            byte[] b = Files.readAllBytes(p);
            assertEquals(1, b[6], "major version");
            int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + len) % 64, "header length for " + Arrays.toString(shape));
            assertEquals('\n', b[10 + len - 1]);
            assertEquals(10 + len + 4L * Shape.of(shape).size(), b.length);
        }
        String header = new String(Npy.header("<f4", false, 3), StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header);
    }

    @Test
    void uint8ImagesFromHandWrittenHeader() throws IOException {
        Path p = dir.resolve("u8.npy");
        byte[] px = {0, (byte) 255, (byte) 128, 1};
        Files.write(p, npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 2, 2), }", px));
        NpyArray a = Npy.read(p);
        assertEquals("|u1", a.dtype());
        assertArrayEquals(new long[] {0, 255, 128, 1}, a.longs());
        Tensor t = Npy.readImages(p);
        assertEquals(Shape.of(1, 1, 2, 2), t.shape());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, t.data());
    }

    @Test
    void versions2And3AndOtherDtypes() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(5).putInt(0).putInt(9);
        Path p = dir.resolve("i4.npy");
        Files.write(p, npy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", b.array()));
        assertArrayEquals(new int[] {5, 0, 9}, Npy.readLabels(p));

        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-2.5);
        Files.write(p, npy(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", d.array()));
        assertArrayEquals(new float[] {0.25f, -2.5f}, Npy.read(p).floats());

        ByteBuffer big = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) 300).putShort((short) -2);
        Files.write(p, npy(1, "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", big.array()));
        assertArrayEquals(new long[] {300, -2}, Npy.read(p).longs());
    }

    @Test
    void fortranOrderIsRejected() throws IOException {
        Path p = dir.resolve("f.npy");
        Files.write(p, npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": Fortran-order"), e.getMessage());
        assertTrue(e.getMessage().contains("ascontiguousarray"), e.getMessage());
    }

    @Test
    void valuesAboveOneAreRejected() throws IOException {
        Path p = dir.resolve("big.npy");
        Npy.write(p, Tensor.of(new float[] {0f, 0.5f, 3f, 1f}, 1, 1, 2, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertTrue(e.getMessage().contains("expected pixel values in [0,1], got values in [0.0, 3.0]"), e.getMessage());

        Npy.write(p, Tensor.of(new float[] {0f, Float.NaN, 0f, 1f}, 1, 1, 2, 2));
        e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertTrue(e.getMessage().contains("NaN at flat index 1"), e.getMessage());
    }

    @Test
    void wrongRankOrDtypeIsRejectedWithTheShape() throws IOException {
        Path p = dir.resolve("x.npy");
        Npy.write(p, Tensor.zeros(2, 28, 28));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertEquals(p + ": expected images N,C,H,W float32 in [0,1] or uint8, got <f4 [2,28,28]", e.getMessage());

        Npy.write(p, new long[4], new int[] {1, 1, 2, 2});
        e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertTrue(e.getMessage().endsWith("got <i8 [1,1,2,2]"), e.getMessage());

        Npy.write(p, Tensor.zeros(3));
        e = assertThrows(DataFormatException.class, () -> Npy.readLabels(p));
        assertTrue(e.getMessage().contains("1-D integer array (int32, int64 or uint8), got <f4 [3]"), e.getMessage());
    }

    @Test
    void truncatedAndForeignFilesAreRejected() throws IOException {
        Path p = dir.resolve("t.npy");
        Npy.write(p, Tensor.zeros(1, 1, 4, 4));
        byte[] b = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(b, b.length - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertTrue(e.getMessage().contains("truncated .npy file: header promises <f4 [1,1,4,4] = 64 data bytes, found 59"),
                e.getMessage());

        Files.write(p, "hello".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("truncated .npy file"), e.getMessage());
        Files.write(p, "hello, world, not numpy".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());

        Files.write(p, npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("unsupported dtype '<c8'"), e.getMessage());
    }

    @Test
    void negativeLabelsAreRejected() throws IOException {
        Path p = dir.resolve("neg.npy");
        Npy.write(p, new long[] {1, -1}, new int[] {2});
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readLabels(p));
        assertTrue(e.getMessage().contains("got -1 at index 1"), e.getMessage());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path p = dir.resolve("out.npy");
        Npy.write(p, Tensor.zeros(1, 1, 2, 2));
        Npy.write(p, Tensor.full(Shape.of(1, 1, 1, 1), 0.5f));
        assertArrayEquals(new float[] {0.5f}, Npy.readImages(p).data());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the target remains");
        }
    }

    @Test
    void aHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        Path p = dir.resolve("x.npy");
        HostileFiles.npy(p, "{'descr': '|u1', 'fortran_order': False, 'shape': (2000000, 1, 28, 28), }", new byte[784]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.readImages(p));
        assertTrue(e.getMessage().contains("header promises |u1 [2000000,1,28,28] = 1568000000 data bytes, found 784"), e.getMessage());
    }

    @Test
    void shapesWhoseProductOverflowsAreRefused() throws IOException {
        Path p = dir.resolve("x.npy");
        // 65536^4 = 2^64 wraps to 0 in 64 bits: an empty array of that shape is not what the header says.
        HostileFiles.npy(p, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }", new byte[0]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("more than 2^31 values, more than one array can hold"), e.getMessage());
        HostileFiles.npy(p, "{'descr': '<i99999999999', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        e = assertThrows(DataFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("unsupported dtype '<i99999999999'"), e.getMessage());
    }
}
