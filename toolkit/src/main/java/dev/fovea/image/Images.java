package dev.fovea.image;

import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Limits;
import dev.fovea.data.DataFormatException;
import dev.fovea.data.DataNotFoundException;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Reads and writes image files through {@code javax.imageio} (PNG, JPEG, BMP and GIF; the first frame of an
 * animated GIF).
 *
 * <p>Reading gives a {@code [1,C,H,W]} float32 tensor with values in {@code [0,1]} (an 8-bit value {@code k}
 * becomes {@code k/255f}, a 16-bit gray value {@code k/65535f}):
 * <ul>
 *   <li>Grayscale files (gray colour space, or a palette whose entries are all gray) are read from their samples as
 *       stored, with no gamma conversion; other files are read as sRGB.</li>
 *   <li>{@code C = 1} from colour: luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601, as PIL's
 *       {@code convert('L')} and torchvision's {@code rgb_to_grayscale}), not rounded to 8 bits.
 *       {@code C = 3} from gray repeats the gray value in R, G and B.</li>
 *   <li>Alpha is composited over black: each colour value is multiplied by the pixel's alpha, so fully transparent
 *       pixels read as 0.</li>
 *   <li>Images of another size are fitted by a {@link Resize} mode ({@link Resize#DEFAULT}: center-crop, as
 *       torchvision's {@code Resize} + {@code CenterCrop}), resampled with {@link Resample} (antialiased bilinear, as
 *       PIL's {@code Image.resize(BILINEAR)}).</li>
 * </ul>
 * {@link #fit} does the conversion and the fitting for an image already read; {@link Fitting} sums up what it did
 * over many images, for the caller to report.
 * Before decoding, the reader takes the size from the file's header and refuses images of more than
 * {@link Limits#MAX_IMAGE_PIXELS} pixels, and PNG and JPEG files too short to hold the pixels they declare.
 *
 * <p>Writing ({@link #writePng}) clips values to {@code [0,1]} (NaN becomes 0) and rounds to 8 bits, so values
 * {@code k/255} survive a round trip exactly.
 */
public final class Images {
    private Images() {
    }

    /** Reads an image at its own size: one channel if it is grayscale, else three; {@code [1,C,H,W]}. */
    public static Tensor read(Path path) throws IOException {
        BufferedImage img = decode(path);
        int c = isGray(img) ? 1 : 3;
        return Tensor.of(planes(img, c), 1, c, img.getHeight(), img.getWidth());
    }

    /**
     * Reads an image as {@code channels} (1 or 3) fitted to {@code height x width} by {@link Resize#DEFAULT};
     * {@code [1,C,H,W]}.
     */
    public static Tensor read(Path path, int channels, int height, int width) throws IOException {
        return read(path, channels, height, width, Resize.DEFAULT);
    }

    /** Reads an image as {@code channels} (1 or 3) fitted to {@code height x width} by {@code resize}; {@code [1,C,H,W]}. */
    public static Tensor read(Path path, int channels, int height, int width, Resize resize) throws IOException {
        checkTarget(channels, height, width);
        return fit(read(path), channels, height, width, resize);
    }

    /**
     * {@code image} ({@code [1,C,h,w]} as {@link #read(Path)} gives it, {@code C} 1 or 3) converted to {@code channels}
     * (luma for one channel from three, gray repeated for three from one) and fitted to {@code height x width} by
     * {@code resize}; {@code [1,channels,height,width]}. An image that needs neither is returned as it is.
     */
    public static Tensor fit(Tensor image, int channels, int height, int width, Resize resize) {
        checkTarget(channels, height, width);
        Shape s = image.shape();
        if (s.rank() != 4 || s.dim(0) != 1 || (s.dim(1) != 1 && s.dim(1) != 3)) {
            throw new ShapeException("image: expected [1,C,H,W] with C 1 or 3, got " + s);
        }
        return resize.apply(convert(image, channels), height, width);
    }

    private static void checkTarget(int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image: expected 1 or 3 channels, got " + channels);
        }
        if (height <= 0 || width <= 0 || (long) height * width > Limits.MAX_IMAGE_PIXELS) {
            throw new IllegalArgumentException("image: expected a positive size of at most " + Limits.MAX_IMAGE_PIXELS + " pixels, got "
                    + height + "x" + width);
        }
    }

    /** {@code [1,C,H,W]} as {@code channels}: luma of three (as {@link #planes} computes it), or one repeated three times. */
    private static Tensor convert(Tensor image, int channels) {
        int c = image.dim(1);
        if (c == channels) {
            return image;
        }
        int h = image.dim(2);
        int w = image.dim(3);
        int hw = h * w;
        float[] d = image.data();
        float[] out = new float[channels * hw];
        if (channels == 1) {
            for (int i = 0; i < hw; i++) {
                float red = d[i];
                float green = d[hw + i];
                float blue = d[2 * hw + i];
                boolean gray = red == green && green == blue;
                out[i] = gray ? red : Math.min(1f, 0.299f * red + 0.587f * green + 0.114f * blue);
            }
        } else {
            for (int k = 0; k < 3; k++) {
                System.arraycopy(d, 0, out, k * hw, hw);
            }
        }
        return Tensor.of(out, 1, channels, h, w);
    }

    /** Whether the image is grayscale: a gray colour space, or a palette of gray entries only. */
    public static boolean isGray(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    private static BufferedImage decode(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new DataNotFoundException(path + ": no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new DataFormatException(path + ": expected an image file, got a directory or special file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataFormatException(path + ": not a readable image (expected PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(path, reader);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // decoders report corrupt data as IIOException but also as unchecked exceptions
            throw new DataFormatException(path + ": corrupt or unsupported image (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses, from the header alone, an image of more than {@link Limits#MAX_IMAGE_PIXELS} pixels, and a PNG or
     * JPEG too short to hold its pixels: deflate packs at most 1032 bytes into one, so a PNG needs at least its rows'
     * bytes / 1032; a JPEG spends at least one bit on each 8 x 8 block, 512 pixels a byte (checked at half that rate).
     */
    private static void checkSize(Path path, ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
            throw new DataFormatException(path + ": corrupt image: it says it is " + w + "x" + h + " pixels");
        }
        long pixels = (long) w * h;
        if (pixels > Limits.MAX_IMAGE_PIXELS) {
            throw new DataFormatException(path + ": image of " + w + "x" + h + " = " + pixels + " pixels, more than the "
                    + Limits.MAX_IMAGE_PIXELS + " (8192x8192) an image may have");
        }
        long length = Files.size(path);
        String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        long atLeast = 0;
        if (format.equals("png")) {
            javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
            int bits = 1;
            if (type != null) {
                bits = 0;
                for (int size : type.getSampleModel().getSampleSize()) {
                    bits += size;
                }
            }
            atLeast = (long) h * (1 + ((long) w * Math.max(1, bits) + 7) / 8) / 1032;
        } else if (format.equals("jpeg")) {
            atLeast = pixels / 1024;
        }
        if (length < atLeast) {
            throw new DataFormatException(path + ": truncated image: a " + w + "x" + h + " " + format.toUpperCase(java.util.Locale.ROOT)
                    + " needs at least " + atLeast + " bytes, the file has " + length);
        }
    }

    /** The image's pixels as {@code c} planes of {@code [0,1]} values, alpha composited over black. */
    private static float[] planes(BufferedImage img, int c) {
        int h = img.getHeight();
        int w = img.getWidth();
        int hw = h * w;
        float[] out = new float[c * hw];
        ColorModel cm = img.getColorModel();
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster r = img.getRaster();
            float max = (1 << cm.getComponentSize(0)) - 1;
            float maxAlpha = cm.hasAlpha() ? (1 << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = r.getSample(x, y, 0) / max;
                    if (cm.hasAlpha()) {
                        v *= r.getSample(x, y, 1) / maxAlpha;
                    }
                    for (int k = 0; k < c; k++) {
                        out[k * hw + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < hw; i++) {
            int p = argb[i];
            float a = (p >>> 24) / 255f;
            float red = ((p >> 16) & 0xff) / 255f;
            float green = ((p >> 8) & 0xff) / 255f;
            float blue = (p & 0xff) / 255f;
            if (a < 1) {
                red *= a;
                green *= a;
                blue *= a;
            }
            if (c == 1) {
                boolean gray = red == green && green == blue;
                out[i] = gray ? red : Math.min(1f, 0.299f * red + 0.587f * green + 0.114f * blue);
            } else {
                out[i] = red;
                out[hw + i] = green;
                out[2 * hw + i] = blue;
            }
        }
        return out;
    }

    /**
     * An 8-bit image of a {@code [C,H,W]} or {@code [1,C,H,W]} tensor with {@code C} 1 (gray) or 3 (RGB), values
     * clipped to {@code [0,1]} and rounded to the nearest of 0..255.
     */
    public static BufferedImage toImage(Tensor chw) {
        Shape s = chw.shape();
        boolean ok = (s.rank() == 3 || (s.rank() == 4 && s.dim(0) == 1)) && (s.dim(-3) == 1 || s.dim(-3) == 3)
                && s.dim(-2) > 0 && s.dim(-1) > 0;
        if (!ok) {
            throw new ShapeException("image: expected [C,H,W] or [1,C,H,W] with C 1 or 3, got " + s);
        }
        int c = s.dim(-3);
        int h = s.dim(-2);
        int w = s.dim(-1);
        int hw = h * w;
        float[] d = chw.data();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster r = img.getRaster();
        int[] band = new int[hw];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < hw; i++) {
                band[i] = toByte(d[k * hw + i]);
            }
            r.setSamples(0, 0, w, h, k, band);
        }
        return img;
    }

    private static int toByte(float v) {
        return Float.isNaN(v) ? 0 : Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    /** Writes a {@code [C,H,W]} or {@code [1,C,H,W]} tensor ({@code C} 1 or 3) as an 8-bit PNG, atomically. */
    public static void writePng(Path path, Tensor chw) throws IOException {
        writePng(path, toImage(chw));
    }

    /** Writes {@code img} as a PNG file, atomically; a failure names the file and says why ("No space left on device"). */
    public static void writePng(Path path, RenderedImage img) throws IOException {
        byte[] bytes = png(img);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /**
     * {@code img} encoded as PNG, in memory: the encoder never touches a disk (ImageIO's file cache), so the only
     * I/O that can fail is the write of the bytes, which names its file.
     */
    public static byte[] png(RenderedImage img) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("image: this Java runtime has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(ios);
            writer.write(img);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
