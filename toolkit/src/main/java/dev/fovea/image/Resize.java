package dev.fovea.image;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * How an image of another size is fitted to a model's input size {@code H x W}; every mode resamples with
 * {@link Resample} (antialiased bilinear, as PIL), and an image already {@code H x W} is left as it is.
 * <ul>
 *   <li>{@link #CENTER_CROP} (the default): scale the image, keeping its aspect ratio, until it covers the target,
 *       then cut out the middle. For a square target {@code S} this is torchvision's ImageNet evaluation transform
 *       {@code Compose([Resize(S), CenterCrop(S)])}: the shorter side becomes {@code S}, the longer
 *       {@code trunc(S * long / short)}, and the crop starts at {@code round((size - S) / 2)} (half to even, as
 *       Python's {@code round}). For another target shape, the side that needs the larger factor lands on its target
 *       and the other is {@code trunc(target * long / short)} likewise. Nothing is distorted; the borders of a
 *       non-square photo are lost.</li>
 *   <li>{@link #STRETCH}: each side to its target independently ({@code Image.resize((W, H))},
 *       {@code transforms.Resize((H, W))}): nothing is lost, shapes are distorted when the aspect ratios differ.</li>
 *   <li>{@link #PAD}: scale the image, keeping its aspect ratio, until it fits inside the target, and fill the rest
 *       with zeros (black; normalised as every pixel is, so it reaches the model as {@code -mean / std}): Pillow's
 *       letterbox {@code ImageOps.pad(img, (W, H), BILINEAR, color=0)}. The fitted side is
 *       {@code round(target * short / long)} (at least 1) and the image is centred, offsets rounded half to even.</li>
 * </ul>
 * {@code fixtures/make_resize_golden.py} writes what torchvision and Pillow give for each mode; the tests compare.
 */
public enum Resize {
    /** Cover the target keeping the aspect ratio, then take the middle (torchvision's {@code Resize} + {@code CenterCrop}). */
    CENTER_CROP,
    /** Each side to its target independently. */
    STRETCH,
    /** Fit inside the target keeping the aspect ratio, zeros around (Pillow's {@code ImageOps.pad}). */
    PAD;

    /** The mode images are fitted with when nobody chooses: {@link #CENTER_CROP}. */
    public static final Resize DEFAULT = CENTER_CROP;

    /** Lower case with {@code -}, as users write it: {@code center-crop}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * {@code image} ({@code [C,h,w]} or {@code [1,C,h,w]}) fitted to {@code height x width}, the same rank; itself when
     * it is that size already.
     */
    public Tensor apply(Tensor image, int height, int width) {
        Shape s = image.shape();
        if (s.rank() != 3 && !(s.rank() == 4 && s.dim(0) == 1)) {
            throw new ShapeException("resize: expected [C,H,W] or [1,C,H,W], got " + s);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("resize: expected a positive size, got " + height + "x" + width);
        }
        int h = s.dim(-2);
        int w = s.dim(-1);
        if (h == height && w == width) {
            return image;
        }
        return switch (this) {
            case STRETCH -> Resample.resize(image, height, width);
            case CENTER_CROP -> {
                int fullH;
                int fullW;
                if ((long) width * h >= (long) height * w) {
                    fullW = width;
                    fullH = Math.max(height, (int) ((double) (width * (long) h) / w));
                } else {
                    fullH = height;
                    fullW = Math.max(width, (int) ((double) (height * (long) w) / h));
                }
                int top = (int) Math.rint((fullH - height) / 2.0);
                int left = (int) Math.rint((fullW - width) / 2.0);
                yield Resample.region(image, fullH, fullW, top, left, height, width);
            }
            case PAD -> pad(image, h, w, height, width);
        };
    }

    /** Pillow's {@code ImageOps.pad}: {@code contain} (fit inside, keeping the aspect ratio), then centre on zeros. */
    private static Tensor pad(Tensor image, int h, int w, int height, int width) {
        int fitH = height;
        int fitW = width;
        double ratio = (double) w / h;
        double target = (double) width / height;
        if (ratio > target) {
            fitH = Math.max(1, (int) Math.rint((double) h / w * width));
        } else if (ratio < target) {
            fitW = Math.max(1, (int) Math.rint((double) w / h * height));
        }
        Tensor fitted = Resample.resize(image, fitH, fitW);
        if (fitH == height && fitW == width) {
            return fitted;
        }
        int top = (int) Math.rint((height - fitH) * 0.5);
        int left = (int) Math.rint((width - fitW) * 0.5);
        Shape s = image.shape();
        int c = s.dim(-3);
        float[] src = fitted.data();
        float[] out = new float[c * height * width];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < fitH; y++) {
                System.arraycopy(src, (k * fitH + y) * fitW, out, (k * height + top + y) * width + left, fitW);
            }
        }
        int[] dims = s.dims();
        dims[dims.length - 2] = height;
        dims[dims.length - 1] = width;
        return new Tensor(Shape.of(dims), out);
    }
}
