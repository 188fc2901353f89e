package dev.fovea.image;

import dev.fovea.tensor.Shape;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What fitting image files to a model's input did, for a notice and the reports: of {@code images} files read as
 * {@code channels x height x width} with {@link Resize} mode {@code resize}, {@code resized} had another size
 * ({@code sizes} different sizes, from {@code smallest} to {@code largest} by pixel count; both null when none was
 * resized), {@code toGray} colour images were converted to gray (luma, {@link Images}) for a one-channel model and
 * {@code toRgb} gray images repeated in R, G and B for a three-channel one. The library reports; the caller says it.
 */
public record Fitting(Resize resize, int channels, int height, int width, int images, int resized, int sizes, Size smallest, Size largest,
                      int toGray, int toRgb) {
    /** An image size, written {@code WIDTHxHEIGHT} as image tools write it ({@code 500x375}). */
    public record Size(int width, int height) {
        @com.fasterxml.jackson.annotation.JsonValue
        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /**
     * The fitting of images of shapes {@code sources} (each {@code [C,H,W]} or {@code [1,C,H,W]}, as
     * {@link Images#read(java.nio.file.Path)} gives them) to {@code target} {@code [C,H,W]} with {@code resize}.
     */
    public static Fitting of(Resize resize, Shape target, Collection<Shape> sources) {
        if (target.rank() != 3) {
            throw new IllegalArgumentException("fitting: expected a target [C,H,W], got " + target);
        }
        int c = target.dim(0);
        int h = target.dim(1);
        int w = target.dim(2);
        int resized = 0;
        int toGray = 0;
        int toRgb = 0;
        Set<Size> sizes = new HashSet<>();
        Size smallest = null;
        Size largest = null;
        for (Shape s : sources) {
            int sc = s.dim(-3);
            if (sc == 3 && c == 1) {
                toGray++;
            } else if (sc == 1 && c == 3) {
                toRgb++;
            }
            if (s.dim(-2) != h || s.dim(-1) != w) {
                resized++;
                Size z = new Size(s.dim(-1), s.dim(-2));
                sizes.add(z);
                if (smallest == null || area(z) < area(smallest)) {
                    smallest = z;
                }
                if (largest == null || area(z) > area(largest)) {
                    largest = z;
                }
            }
        }
        return new Fitting(resize, c, h, w, sources.size(), resized, sizes.size(), smallest, largest, toGray, toRgb);
    }

    private static long area(Size s) {
        return (long) s.width() * s.height();
    }

    /** Whether any image was resized or converted. */
    public boolean changedAny() {
        return resized > 0 || toGray > 0 || toRgb > 0;
    }

    /**
     * One sentence of what was done, or {@code null} when nothing was:
     * {@code resizing 10000 images from 64x64 to 32x32 (center-crop, antialiased); converting 10000 RGB images to gray
     * for a 1-channel model}.
     */
    public String describe() {
        if (!changedAny()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        if (resized > 0) {
            String of = resized == images ? count(resized) : resized + " of " + count(images);
            String from = sizes == 1 ? "from " + smallest : "of " + sizes + " sizes (" + smallest + " to " + largest + ")";
            b.append(String.format(Locale.ROOT, "resizing %s %s to %dx%d (%s, antialiased)", of, from, width, height, resize.spelling()));
        }
        if (toGray > 0 || toRgb > 0) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(toGray > 0 ? "converting " + count(toGray).replace("image", "RGB image") + " to gray for a 1-channel model"
                    : "converting " + count(toRgb).replace("image", "gray image") + " to RGB for a 3-channel model");
        }
        return b.toString();
    }

    private static String count(int n) {
        return n + (n == 1 ? " image" : " images");
    }
}
