package dev.fovea.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Small files that claim to be, or inflate to, something huge: zip and PNG decompression bombs, headers that promise
 * far more data than the file holds. Each is made in milliseconds: a long run of one byte value is deflated once per
 * mebibyte with a full flush, which makes every mebibyte the same compressed block, and that block is repeated.
 * Shared by the readers' unit tests and the command-line tests of hostile input.
 */
public final class HostileFiles {
    private static final int MIB = 1 << 20;

    private HostileFiles() {
    }

    /** A raw deflate stream (no zlib header) that inflates to {@code count} bytes of {@code value}. */
    public static byte[] deflatedRun(byte value, long count) {
        byte[] run = new byte[MIB];
        Arrays.fill(run, value);
        byte[] block = flushed(run, MIB);
        byte[] rest = flushed(run, (int) (count % MIB));
        Deflater end = new Deflater(Deflater.BEST_COMPRESSION, true);
        end.finish();
        byte[] buf = new byte[64];
        int endLength = end.deflate(buf);
        end.end();
        long blocks = count / MIB;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (blocks * block.length + rest.length + endLength));
        for (long i = 0; i < blocks; i++) {
            out.writeBytes(block);
        }
        out.writeBytes(rest);
        out.write(buf, 0, endLength);
        return out.toByteArray();
    }

    /** {@code n} bytes of {@code run} deflated from a fresh state and full-flushed: a self-contained, byte-aligned block. */
    private static byte[] flushed(byte[] run, int n) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(run, 0, n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int k;
        do {
            k = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
            out.write(buf, 0, k);
        } while (k == buf.length || !d.needsInput());
        d.end();
        return out.toByteArray();
    }

    /** One entry of {@link #zip}: its name, deflated data, and the sizes and CRC its headers declare. */
    public record Entry(String name, byte[] deflated, long declaredSize, long crc) {
        /** An honest entry of {@code content}. */
        public static Entry of(String name, byte[] content) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            d.end();
            CRC32 crc = new CRC32();
            crc.update(content);
            return new Entry(name, out.toByteArray(), content.length, crc.getValue());
        }
    }

    /** A zip archive of deflated entries whose local and central headers say what the entries declare. */
    public static void zip(Path path, Entry... entries) throws IOException {
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        try (OutputStream out = Files.newOutputStream(path)) {
            long offset = 0;
            for (Entry e : entries) {
                byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                ByteBuffer local = le(30 + name.length).putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                        .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc()).putInt(e.deflated().length)
                        .putInt((int) e.declaredSize()).putShort((short) name.length).putShort((short) 0).put(name);
                out.write(local.array());
                out.write(e.deflated());
                central.writeBytes(le(46 + name.length).putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                        .putShort((short) 8).putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc()).putInt(e.deflated().length)
                        .putInt((int) e.declaredSize()).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name).array());
                offset += local.capacity() + e.deflated().length;
            }
            out.write(central.toByteArray());
            out.write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.length)
                    .putShort((short) entries.length).putInt(central.size()).putInt((int) offset).putShort((short) 0).array());
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An IDX file: magic, big-endian sizes, then {@code data}; gzip-compressed when asked. */
    public static void idx(Path path, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            h.putInt(d);
        }
        try (OutputStream f = Files.newOutputStream(path); OutputStream out = gzip ? new GZIPOutputStream(f) : f) {
            out.write(h.array());
            out.write(data);
        }
    }

    /** A {@code .npy} version 1.0 file with the given dict and data (the dict is written as given). */
    public static void npy(Path path, String dict, byte[] data) throws IOException {
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = le(10).put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(b.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
        }
    }

    /**
     * A valid 8-bit grayscale PNG of {@code width x height} black pixels: every row is filter byte 0 and zeros, so
     * its one IDAT chunk is a deflated run of zeros (40000 x 40000 pixels take 1.5 MB).
     */
    public static void blackPng(Path path, int width, int height) throws IOException {
        long raw = (long) height * (width + 1);
        byte[] deflate = deflatedRun((byte) 0, raw);
        ByteBuffer zlib = ByteBuffer.allocate(2 + deflate.length + 4).put((byte) 0x78).put((byte) 0xda).put(deflate);
        long adler = ((raw % 65521) << 16) | 1; // Adler-32 of zeros: a stays 1, b adds 1 per byte
        zlib.putInt((int) adler);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0)
                    .put((byte) 0).put((byte) 0).array());
            chunk(out, "IDAT", zlib.array());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A baseline JPEG whose frame header (SOF0) says {@code width x height}, with the scan of a 16 x 16 image. */
    public static void jpegClaiming(Path path, int width, int height) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", b);
        byte[] jpg = b.toByteArray();
        for (int i = 0; i + 8 < jpg.length; i++) {
            if ((jpg[i] & 0xff) == 0xff && (jpg[i + 1] & 0xff) == 0xc0) {
                ByteBuffer.wrap(jpg, i + 5, 4).putShort((short) height).putShort((short) width);
                Files.write(path, jpg);
                return;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the JPEG ImageIO wrote");
    }
}
