package dev.fovea.data;

import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun et al.), raw or gzip-compressed (recognised by the gzip magic
 * bytes {@code 1f 8b}, not by the file name).
 *
 * <p>An IDX file is a big-endian header followed by the data: a 4-byte magic number {@code 00 00 TT DD} where
 * {@code TT} is the element type ({@code 08} = unsigned byte, the only one read here) and {@code DD} the number of
 * dimensions, then one 4-byte size per dimension. Images files have magic {@code 0x00000803} and sizes
 * {@code N, H, W}; labels files have magic {@code 0x00000801} and size {@code N}. The reader checks the magic
 * number and that the file holds exactly the bytes its header promises, so a truncated download is reported rather
 * than read as zeros; it compares the promise with what the file really holds before allocating for it (the file's
 * length, or for gzip the bytes counted in a first pass that keeps none of them), and refuses images of more than
 * {@link Limits#MAX_IMAGE_PIXELS} pixels or files of more than one array's values ({@link Limits}).
 */
public final class Idx {
    /** Magic number of an unsigned-byte images file ({@code N,H,W}). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte labels file ({@code N}). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int CHUNK = 1 << 16;

    private Idx() {
    }

    /** Reads an images file as {@code [N,1,H,W]} float32, each byte divided by 255. */
    public static Tensor readImages(Path path) throws IOException {
        return parse(path, IMAGES_MAGIC, dims -> {
            String promise = dims[0] + "x" + dims[1] + "x" + dims[2] + " = " + (long) dims[0] * dims[1] * dims[2] + " pixel bytes";
            if ((long) dims[1] * dims[2] > Limits.MAX_IMAGE_PIXELS) {
                throw new DataFormatException(path + ": IDX header promises images of " + dims[1] + "x" + dims[2] + " pixels, more than the "
                        + Limits.MAX_IMAGE_PIXELS + " pixels an image may have");
            }
            if ((long) dims[0] * dims[1] * dims[2] > Limits.MAX_ARRAY_VALUES) {
                throw new DataFormatException(path + ": IDX header promises " + promise + ", more than one array can hold");
            }
            int size = dims[0] * dims[1] * dims[2];
            return new Body<>(size, promise, () -> new float[size], (data, at, chunk, n) -> {
                for (int i = 0; i < n; i++) {
                    data[at + i] = (chunk[i] & 0xff) / 255f;
                }
            }, data -> Tensor.of(data, dims[0], 1, dims[1], dims[2]));
        });
    }

    /** Reads a labels file, each label an unsigned byte. */
    public static int[] readLabels(Path path) throws IOException {
        return parse(path, LABELS_MAGIC, dims -> {
            int n = dims[0];
            if (n > Limits.MAX_ARRAY_VALUES) {
                throw new DataFormatException(path + ": IDX header promises " + n + " labels, more than one array can hold");
            }
            return new Body<>(n, n + " label bytes", () -> new int[n], (labels, at, chunk, k) -> {
                for (int i = 0; i < k; i++) {
                    labels[at + i] = chunk[i] & 0xff;
                }
            }, labels -> labels);
        });
    }

    /**
     * Reads an images file and its labels file into a data set, checking that they hold the same number of samples
     * and that every label names one of {@code classNames}.
     */
    public static Dataset read(Path imagesPath, Path labelsPath, List<String> classNames, String source) throws IOException {
        Tensor images = readImages(imagesPath);
        int[] labels = readLabels(labelsPath);
        return Samples.join(imagesPath, images, labelsPath, labels, classNames, source);
    }

    /**
     * The labels file beside an images file: the name with its last {@code images} replaced by {@code labels} and
     * {@code idx3} by {@code idx1}, with or without {@code .gz} ({@code t10k-images-idx3-ubyte.gz} finds
     * {@code t10k-labels-idx1-ubyte.gz} or {@code t10k-labels-idx1-ubyte}).
     */
    public static Path labelsBeside(Path imagesPath) throws DataNotFoundException {
        String name = imagesPath.getFileName().toString();
        int at = name.lastIndexOf("images");
        if (at < 0) {
            throw new DataNotFoundException(imagesPath + ": cannot find its labels file: the name does not contain 'images'"
                    + " (pass the labels file explicitly)");
        }
        String base = (name.substring(0, at) + "labels" + name.substring(at + "images".length())).replace("idx3", "idx1");
        if (base.endsWith(".gz")) {
            base = base.substring(0, base.length() - 3);
        }
        List<Path> tried = new ArrayList<>();
        for (String candidate : List.of(base, base + ".gz")) {
            Path p = imagesPath.resolveSibling(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p.getFileName());
        }
        throw new DataNotFoundException(imagesPath + ": no labels file beside it (looked for " + tried.get(0) + " and "
                + tried.get(1) + ")");
    }

    /** Writes {@code n} images of {@code h x w} unsigned bytes (row-major, image after image), atomically. */
    public static void writeImages(Path path, byte[] pixels, int n, int h, int w, boolean gzip) throws IOException {
        if (n < 0 || h < 0 || w < 0 || (long) n * h * w != pixels.length) {
            throw new IllegalArgumentException("idx: expected " + n + "x" + h + "x" + w + " pixel bytes, got " + pixels.length);
        }
        write(path, gzip, IMAGES_MAGIC, new int[] {n, h, w}, pixels);
    }

    /** Writes labels, each in {@code [0,255]}, as an unsigned-byte labels file, atomically. */
    public static void writeLabels(Path path, int[] labels, boolean gzip) throws IOException {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("idx: expected labels in [0,255], got " + labels[i] + " at index " + i);
            }
            b[i] = (byte) labels[i];
        }
        write(path, gzip, LABELS_MAGIC, new int[] {labels.length}, b);
    }

    private static void write(Path path, boolean gzip, int magic, int[] dims, byte[] data) throws IOException {
        AtomicFiles.write(path, out -> {
            GZIPOutputStream z = gzip ? new GZIPOutputStream(out, 1 << 16) : null;
            DataOutputStream d = new DataOutputStream(z != null ? z : out);
            d.writeInt(magic);
            for (int dim : dims) {
                d.writeInt(dim);
            }
            d.write(data);
            d.flush();
            if (z != null) {
                z.finish();
            }
        });
    }

    /** What the header promises: {@code size} data bytes, decoded chunk by chunk into an array {@code A} that gives {@code T}. */
    private record Body<A, T>(int size, String promise, java.util.function.Supplier<A> array, Decode<A> decode,
                              java.util.function.Function<A, T> result) {
    }

    @FunctionalInterface
    private interface Decode<A> {
        void chunk(A array, int at, byte[] chunk, int n);
    }

    @FunctionalInterface
    private interface Promise<A, T> {
        Body<A, T> of(int[] dims) throws DataFormatException;
    }

    /**
     * Reads the header, then checks that the file holds exactly the bytes it promises before allocating for them:
     * against the file's length when it is raw, by inflating it once without keeping the bytes when it is gzip. The
     * bytes are then decoded in chunks straight into the result, so memory is the result and one chunk.
     */
    private static <A, T> T parse(Path path, int magic, Promise<A, T> promise) throws IOException {
        try {
            Body<A, T> body;
            boolean gzip;
            try (InputStream in = open(path)) {
                gzip = in instanceof GZIPInputStream;
                int[] dims = header(in, path, magic);
                body = promise.of(dims);
                long found = gzip ? Limits.count(in, body.size(), null) : Files.size(path) - 4 - 4L * dims.length;
                check(path, body, found, found > body.size() && gzip ? -1 : found - body.size());
            }
            try (InputStream in = open(path)) {
                in.skipNBytes(4 + 4L * (magic & 0xff));
                A out = body.array().get();
                byte[] chunk = new byte[CHUNK];
                int at = 0;
                while (at < body.size()) {
                    int n = in.readNBytes(chunk, 0, Math.min(CHUNK, body.size() - at));
                    if (n == 0) {
                        throw new DataFormatException(path + ": IDX file changed while it was read");
                    }
                    body.decode().chunk(out, at, chunk, n);
                    at += n;
                }
                return body.result().apply(out);
            }
        } catch (NoSuchFileException e) {
            throw new DataNotFoundException(path + ": no such file");
        } catch (ZipException | EOFException e) {
            throw new DataFormatException(path + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** Fails unless {@code found} is the promised size; {@code extra} is how many bytes more there are (-1: some). */
    private static void check(Path path, Body<?, ?> body, long found, long extra) throws DataFormatException {
        if (found < body.size()) {
            throw new DataFormatException(path + ": truncated IDX file: header promises " + body.promise() + ", found " + Math.max(found, 0));
        }
        if (extra != 0) {
            throw new DataFormatException(path + ": IDX file is longer than its header says: header promises " + body.promise()
                    + (extra > 0 ? ", found " + extra + " bytes more" : ", found more"));
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), CHUNK);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, CHUNK) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** Reads and checks the magic number and the dimensions. */
    private static int[] header(InputStream in, Path path, int expectedMagic) throws IOException {
        DataInputStream d = new DataInputStream(in);
        String kind = expectedMagic == IMAGES_MAGIC ? "images" : "labels";
        int ndim = expectedMagic & 0xff;
        try {
            int magic = d.readInt();
            if (magic != expectedMagic) {
                throw new DataFormatException(path + ": " + badMagic(magic, expectedMagic, kind));
            }
            int[] dims = new int[ndim];
            for (int i = 0; i < ndim; i++) {
                dims[i] = d.readInt();
                if (dims[i] < 0) {
                    throw new DataFormatException(path + ": IDX header has a negative size " + dims[i] + " for dimension " + i);
                }
            }
            return dims;
        } catch (EOFException e) {
            throw new DataFormatException(path + ": truncated IDX file: it ends inside the " + (4 + 4 * ndim) + "-byte header");
        }
    }

    private static String badMagic(int magic, int expected, String kind) {
        String want = String.format("expected an IDX %s file (magic 0x%08x)", kind, expected);
        if ((magic >>> 16) != 0) {
            return String.format("not an IDX file: %s, got 0x%08x", want, magic);
        }
        if (magic == IMAGES_MAGIC || magic == LABELS_MAGIC) {
            return want + ", got an IDX " + (magic == IMAGES_MAGIC ? "images" : "labels") + " file";
        }
        if (((magic >>> 8) & 0xff) != 0x08) {
            return String.format("%s, got element type 0x%02x (only unsigned bytes, 0x08, are read)", want, (magic >>> 8) & 0xff);
        }
        return String.format("%s, got %d dimensions (magic 0x%08x)", want, magic & 0xff, magic);
    }
}
