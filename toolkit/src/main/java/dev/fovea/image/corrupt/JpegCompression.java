package dev.fovea.image.corrupt;

import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.random.RandomGenerator;

/**
 * JPEG compression (ImageNet-C, digital): rounds the image to 8 bits, encodes it as a baseline JPEG at {@code
 * quality} with the JDK's encoder ({@code javax.imageio}) and decodes it back, as the published generator does with
 * PIL ({@code Image.save(..., 'JPEG', quality=q)} and {@code Image.open}).
 *
 * <p>To match PIL, which hands {@code quality} to libjpeg's {@code jpeg_set_quality(q, force_baseline=TRUE)}, the
 * quantisation tables are made as libjpeg makes them rather than by ImageIO's own float scaling: the Annex K tables
 * times {@code 5000 / q} (integer division) below 50 or {@code 200 - 2q} from 50, plus 50, over 100 (integer
 * division), kept in {@code [1, 255]}; with the standard Huffman tables, as PIL uses without {@code optimize}.
 * Colour images are YCbCr with the chroma halved both ways (4:2:0), PIL's and ImageIO's default. The codec itself
 * is libjpeg in both (integer DCT, box chroma downsampling, fancy upsampling): Debian's OpenJDK links the system's
 * libjpeg-turbo, the one Pillow uses, and on {@code fixtures/golden/jpeg} (PIL 9.4 round trips at all ten published
 * qualities, colour and grayscale) every level agrees. JDK builds that bundle IJG libjpeg 6b should agree too, as
 * libjpeg-turbo reproduces its integer paths, but that is unchecked; a decoder with a float IDCT would not. A float
 * pixel is rounded to the nearest level, {@code round(255 x)}, first (PIL's images are 8-bit to begin with).
 *
 * <p>Grayscale images are encoded as one-channel JPEGs. The {@code imagecorruptions} package converts them to RGB,
 * encodes and converts back to {@code L}: the luma of three equal channels is the gray value, both encoders
 * quantise it with the luminance table, and the flat chroma decodes to no colour, so up to rounding in the colour
 * conversions the two agree.
 *
 * <p>Quality per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 80, 65, 58, 50, 40; ImageNet-C ({@code
 * make_imagenet_c.py}) 25, 18, 15, 10, 7. Identity: quality 0, which this class reads as "not encoded" (no JPEG
 * quality returns an image unchanged). Deterministic.
 */
public final class JpegCompression extends Corruption<JpegCompression.Params> {
    private static final double[] SMALL = {80, 65, 58, 50, 40};
    private static final double[] LARGE = {25, 18, 15, 10, 7};
    private static final String NATIVE = "javax_imageio_jpeg_image_1.0";

    /** @param quality libjpeg's quality, 1 (worst) to 100, or 0 for no encoding at all */
    public record Params(int quality) {
        public Params {
            if (quality < 0 || quality > 100) {
                throw new IllegalArgumentException("jpeg-compression: expected a quality from 1 to 100 (0: none), got " + quality);
            }
        }
    }

    @Override
    public String name() {
        return "jpeg-compression";
    }

    @Override
    public Family family() {
        return Family.DIGITAL;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "encodes as a JPEG at a low quality and decodes it back (ImageNet-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params((int) Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        if (p.quality() == 0) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        decode(encode(src, c, h, w, p.quality()), dst, c, h, w);
    }

    /** The JPEG bytes of one {@code c x h x w} image at {@code quality} (1 to 100). */
    static byte[] encode(float[] src, int c, int h, int w, int quality) {
        BufferedImage image = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.setSample(x, y, ch, Math.round(src[ch * plane + y * w + x] * 255f));
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            // the default stream (JFIF, standard Huffman tables, 4:2:0) with libjpeg's tables for this quality
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(NATIVE);
            NodeList tables = root.getElementsByTagName("dqtable");
            for (int i = 0; i < tables.getLength(); i++) {
                IIOMetadataNode t = (IIOMetadataNode) tables.item(i);
                boolean chroma = Integer.parseInt(t.getAttribute("qtableId")) != 0;
                t.setUserObject(table(chroma ? JPEGQTable.K2Chrominance : JPEGQTable.K1Luminance, quality));
            }
            meta.setFromTree(NATIVE, root);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, meta), null);
        } catch (IOException e) {
            throw new UncheckedIOException("jpeg-compression: encoding in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Decodes {@code jpeg} into {@code dst} ({@code c x h x w}, values over 255). */
    static void decode(byte[] jpeg, float[] dst, int c, int h, int w) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        Raster raster;
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            raster = reader.read(0).getRaster();
        } catch (IOException e) {
            throw new UncheckedIOException("jpeg-compression: decoding in memory failed", e);
        } finally {
            reader.dispose();
        }
        if (raster.getNumBands() != c || raster.getWidth() != w || raster.getHeight() != h) {
            throw new IllegalStateException("jpeg-compression: expected a decoded " + c + "x" + h + "x" + w
                    + " image, got " + raster.getNumBands() + "x" + raster.getHeight() + "x" + raster.getWidth());
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    dst[ch * plane + y * w + x] = raster.getSample(x, y, ch) / 255f;
                }
            }
        }
    }

    /** libjpeg's {@code jpeg_add_quant_table} with {@code jpeg_quality_scaling(quality)} and baseline values. */
    static JPEGQTable table(JPEGQTable basic, int quality) {
        int q = Math.max(1, Math.min(100, quality));
        int scale = q < 50 ? 5000 / q : 200 - 2 * q;
        int[] t = basic.getTable();
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) Math.max(1, Math.min(255, ((long) t[i] * scale + 50) / 100));
        }
        return new JPEGQTable(t);
    }
}
