package dev.fovea.data;

import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * NumPy {@code .npy} files: reads format versions 1.0, 2.0 and 3.0 in C order, with dtypes float32, float64, int8,
 * int16, int32, int64, uint8, uint16, uint32 and bool in either byte order; writes version 1.0, little-endian
 * {@code <f4} (tensors) and {@code <i8} (labels, integer arrays), with the header padded so the data starts at a
 * multiple of 64 bytes, as {@code numpy.save} does. Fortran-order arrays of rank 2 or more are rejected (for rank
 * 0 and 1 the two orders are the same). Reading checks that the file holds exactly the bytes its header promises,
 * comparing the promise with the file's length before it allocates, and that the array fits one Java array
 * ({@link Limits}); writing is atomic (a temporary file moved over the target).
 */
public final class Npy {
    private static final int CHUNK = 1 << 16;

    private Npy() {
    }

    /** Reads any supported {@code .npy} array. */
    public static NpyArray read(Path path) throws IOException {
        Raw raw = readRaw(path);
        return decode(raw.header(), raw.data());
    }

    /** A checked header and its data bytes, in the header's byte order. */
    private record Raw(NpyHeader header, ByteBuffer data) {
    }

    private static Raw readRaw(Path path) throws IOException {
        try (Counting counted = new Counting(new BufferedInputStream(Files.newInputStream(path), CHUNK));
             DataInputStream in = new DataInputStream(counted)) {
            NpyHeader h = NpyHeader.read(in, path);
            if (h.fortranOrder() && h.shape().length > 1) {
                throw new DataFormatException(path + ": Fortran-order (column-major) arrays are not supported, got "
                        + h + " with fortran_order True; save it with numpy.save(path, numpy.ascontiguousarray(a))");
            }
            if (h.size() > Limits.MAX_ARRAY_VALUES / h.itemSize()) {
                throw new DataFormatException(path + ": " + h + " holds " + (h.size() == Long.MAX_VALUE ? "more than 2^31" : h.size())
                        + " values, more than one array can hold (at most " + Limits.MAX_ARRAY_VALUES / h.itemSize() + " of " + h.descr() + ")");
            }
            long nbytes = h.size() * h.itemSize();
            // Compare the promise with the file's length before allocating for it.
            long left = Files.isRegularFile(path) ? Files.size(path) - counted.count : -1;
            if (left >= 0 && left < nbytes) {
                throw new DataFormatException(path + ": truncated .npy file: header promises " + h + " = " + nbytes
                        + " data bytes, found " + left);
            }
            byte[] raw = in.readNBytes((int) nbytes);
            if (raw.length < nbytes) {
                throw new DataFormatException(path + ": truncated .npy file: header promises " + h + " = " + nbytes
                        + " data bytes, found " + raw.length);
            }
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new DataFormatException(path + ": .npy file is longer than its header says: header promises " + h
                        + " = " + nbytes + " data bytes, found " + extra + " bytes more");
            }
            return new Raw(h, ByteBuffer.wrap(raw).order(h.order()));
        } catch (NoSuchFileException e) {
            throw new DataNotFoundException(path + ": no such file");
        }
    }

    /** Counts the bytes read through it, so the header's length is known. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    private static NpyArray decode(NpyHeader h, ByteBuffer b) {
        int n = (int) h.size();
        if (h.kind() == 'f') {
            float[] f = new float[n];
            if (h.itemSize() == 4) {
                b.asFloatBuffer().get(f);
            } else {
                for (int i = 0; i < n; i++) {
                    f[i] = (float) b.getDouble();
                }
            }
            return new NpyArray(h.descr(), h.shape(), f, null);
        }
        long[] v = new long[n];
        String type = h.kind() + Integer.toString(h.itemSize());
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case "b1" -> b.get() != 0 ? 1 : 0;
                case "i1" -> b.get();
                case "u1" -> b.get() & 0xff;
                case "i2" -> b.getShort();
                case "u2" -> b.getShort() & 0xffff;
                case "i4" -> b.getInt();
                case "u4" -> b.getInt() & 0xffffffffL;
                default -> b.getLong();
            };
        }
        return new NpyArray(h.descr(), h.shape(), null, v);
    }

    /**
     * Reads images {@code [N,C,H,W]}: float32 (or float64) with every value in {@code [0,1]}, or uint8, divided by
     * 255. Any other rank or dtype, NaN or values outside {@code [0,1]} give a {@link DataFormatException}.
     */
    public static Tensor readImages(Path path) throws IOException {
        Raw raw = readRaw(path);
        NpyHeader h = raw.header();
        boolean bytes = h.kind() == 'u' && h.itemSize() == 1;
        if (h.shape().length != 4 || !(bytes || h.kind() == 'f')) {
            throw new DataFormatException(path + ": expected images N,C,H,W float32 in [0,1] or uint8, got " + h);
        }
        if ((double) h.shape()[1] * h.shape()[2] * h.shape()[3] > Limits.MAX_SAMPLE_VALUES) {
            throw new DataFormatException(path + ": expected images of at most " + Limits.MAX_SAMPLE_VALUES + " values each (C x H x W), got " + h);
        }
        float[] data;
        if (bytes) {
            ByteBuffer b = raw.data();
            data = new float[b.remaining()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (b.get(i) & 0xff) / 255f;
            }
        } else {
            data = decode(h, raw.data()).floats();
            checkPixelRange(path, data);
        }
        return Tensor.of(data, h.shape());
    }

    private static void checkPixelRange(Path path, float[] data) throws DataFormatException {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            if (Float.isNaN(v)) {
                throw new DataFormatException(path + ": expected pixel values in [0,1], got NaN at flat index " + i);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < 0 || max > 1) {
            throw new DataFormatException(path + ": expected pixel values in [0,1], got values in [" + min + ", " + max
                    + "] (scale the images to [0,1] before saving, or save them as uint8)");
        }
    }

    /** Reads class labels: a 1-D array of int8/16/32/64 or uint8/16/32 with values in {@code [0, 2^31)}. */
    public static int[] readLabels(Path path) throws IOException {
        NpyArray a = read(path);
        char kind = a.dtype().charAt(1);
        if (a.rank() != 1 || (kind != 'i' && kind != 'u')) {
            throw new DataFormatException(path + ": expected labels as a 1-D integer array (int32, int64 or uint8), got "
                    + a.describe());
        }
        long[] v = a.longs();
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > Integer.MAX_VALUE) {
                throw new DataFormatException(path + ": expected non-negative class labels, got " + v[i] + " at index " + i);
            }
            labels[i] = (int) v[i];
        }
        return labels;
    }

    /** Writes a tensor as {@code <f4} with the tensor's shape, atomically. */
    public static void write(Path path, Tensor t) throws IOException {
        float[] f = t.data();
        write(path, new NpyHeader("<f4", false, t.shape().dims()), 4, f.length, (buf, from, to) -> {
            for (int i = from; i < to; i++) {
                buf.putFloat(f[i]);
            }
        });
    }

    /** Writes integers as {@code <i8} with the given shape, atomically. */
    public static void write(Path path, long[] data, int[] shape) throws IOException {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("npy: expected non-negative dimensions, got " + NpyHeader.format(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("npy: expected " + size + " values for shape " + NpyHeader.format(shape)
                    + ", got " + data.length);
        }
        write(path, new NpyHeader("<i8", false, shape.clone()), 8, data.length, (buf, from, to) -> {
            for (int i = from; i < to; i++) {
                buf.putLong(data[i]);
            }
        });
    }

    /** Writes class labels as a 1-D {@code <i8} array, atomically. */
    public static void writeLabels(Path path, int[] labels) throws IOException {
        write(path, new NpyHeader("<i8", false, new int[] {labels.length}), 8, labels.length, (buf, from, to) -> {
            for (int i = from; i < to; i++) {
                buf.putLong(labels[i]);
            }
        });
    }

    @FunctionalInterface
    private interface Fill {
        void put(ByteBuffer buf, int from, int to);
    }

    private static void write(Path path, NpyHeader header, int itemSize, int n, Fill fill) throws IOException {
        AtomicFiles.write(path, out -> {
            out.write(header.encode());
            ByteBuffer buf = ByteBuffer.allocate(CHUNK * itemSize).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                buf.clear();
                fill.put(buf, from, to);
                out.write(buf.array(), 0, buf.position());
            }
        });
    }

    /** The header bytes {@link #write} puts before the data (package-private, for tests that hand-write files). */
    static byte[] header(String descr, boolean fortranOrder, int... shape) {
        return new NpyHeader(descr, fortranOrder, shape).encode();
    }
}
