package dev.fovea.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.Checksum;

/**
 * The caps every reader checks before it allocates, in one place. A file's header is never trusted: each size it
 * declares is compared with what the file really holds (its length, or the bytes counted while inflating) and with
 * these caps, so that a small hostile file cannot make a reader allocate much more than the file itself. The caps
 * are generous for real data: ImageNet-size photographs, the 60,000-image Fashion-MNIST IDX files, a
 * ResNet-50-size {@code .fovea} file (98 MiB of weights).
 *
 * <table>
 *   <caption>Caps</caption>
 *   <tr><th>what</th><th>cap</th></tr>
 *   <tr><td>pixels of one image (PNG, JPEG, BMP, GIF; IDX images), width x height</td><td>{@value #MAX_IMAGE_PIXELS} (8192 x 8192)</td></tr>
 *   <tr><td>values of one sample, C x H x W (a model's input shape, an image read for it)</td><td>{@value #MAX_SAMPLE_VALUES}</td></tr>
 *   <tr><td>images of an image folder</td><td>{@value #MAX_FOLDER_IMAGES}</td></tr>
 *   <tr><td>values of one array (a data set, a {@code .npy} array, a tensor): Java's array limit</td><td>{@value #MAX_ARRAY_VALUES}</td></tr>
 *   <tr><td>bytes of a JSON or text file: {@code model.json}, TorchScript sidecars, architecture files, class-name
 *       files, a safetensors header</td><td>{@value #MAX_TEXT_BYTES} (4 MiB)</td></tr>
 *   <tr><td>bytes of a {@code .fovea} file's entries once inflated, {@code weights.safetensors} and {@code model.json}
 *       together (each entry is counted while it inflates and must match the size and CRC its header declares)</td>
 *       <td>{@value #MAX_MODEL_BYTES} (1 GiB)</td></tr>
 *   <tr><td>parameters of an architecture</td><td>{@value #MAX_PARAMETERS} (ResNet-50 has 25.6 million); a
 *       {@code .fovea} file's architecture may not need more than twice the values its weights hold, plus 2^20</td></tr>
 * </table>
 *
 * <p>Data sets are read whole into memory: IDX and {@code .npy} files take four bytes per pixel once read (plus, for
 * gzip, a first pass that counts the inflated bytes without keeping them), image folders four bytes per value of
 * the sample shape.
 */
public final class Limits {
    /** Pixels (width x height) of one image: 2^26. */
    public static final long MAX_IMAGE_PIXELS = 1L << 26;
    /** Values (C x H x W) of one sample: 2^26. */
    public static final long MAX_SAMPLE_VALUES = 1L << 26;
    /** Images of an image folder: 2^21 (ImageNet's training set has 1.28 million). */
    public static final int MAX_FOLDER_IMAGES = 1 << 21;
    /** Values of one Java array. */
    public static final int MAX_ARRAY_VALUES = Integer.MAX_VALUE - 8;
    /** Bytes of a JSON or text file: 4 MiB. */
    public static final long MAX_TEXT_BYTES = 4L << 20;
    /** Inflated bytes of a {@code .fovea} file's entries together: 1 GiB. */
    public static final long MAX_MODEL_BYTES = 1L << 30;
    /** Parameters (learned and running-statistics values) of an architecture: 2^28. */
    public static final long MAX_PARAMETERS = 1L << 28;

    private static final int CHUNK = 1 << 16;

    private Limits() {
    }

    /**
     * Reads a whole text or JSON file of at most {@link #MAX_TEXT_BYTES}; {@code null} when it holds more (its
     * length is then {@link #describeSize}). Never reads more than one byte past the cap, whatever the file is.
     */
    public static byte[] readText(Path path) throws IOException {
        if (Files.isRegularFile(path) && Files.size(path) > MAX_TEXT_BYTES) {
            return null;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes((int) MAX_TEXT_BYTES + 1);
            return b.length > MAX_TEXT_BYTES ? null : b;
        }
    }

    /** {@code "12.0 MB (more than the 4 MiB cap on JSON and text files)"}, for the message on a file {@link #readText} refused. */
    public static String describeSize(Path path) throws IOException {
        String size = Files.isRegularFile(path) ? bytes(Files.size(path)) : "more than " + bytes(MAX_TEXT_BYTES);
        return size + " (more than the " + bytes(MAX_TEXT_BYTES) + " cap on JSON and text files)";
    }

    /**
     * Reads {@code in} to its end without keeping it, feeding {@code checksum} (may be null), and returns how many
     * bytes it held, or {@code max + 1} as soon as it holds more than {@code max}.
     */
    public static long count(InputStream in, long max, Checksum checksum) throws IOException {
        byte[] buf = new byte[CHUNK];
        long n = 0;
        int r;
        while ((r = in.read(buf, 0, (int) Math.min(buf.length, max + 1 - n))) > 0) {
            if (checksum != null) {
                checksum.update(buf, 0, r);
            }
            n += r;
            if (n > max) {
                return n;
            }
        }
        return n;
    }

    /** {@code 4 MiB}, {@code 3 GiB}, {@code 784016 bytes}, {@code 12.0 MB}: a byte count for messages. */
    public static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        for (int u = units.length; u >= 1; u--) {
            long unit = 1L << (10 * u);
            if (n >= unit && n % unit == 0) {
                return n / unit + " " + units[u - 1];
            }
        }
        return n < 10_000_000 ? n + " bytes" : String.format(Locale.ROOT, "%.1f MB", n / 1e6);
    }
}
