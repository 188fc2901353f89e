package dev.fovea.image.corrupt;

/**
 * Which published parameter table a corruption uses for an image: {@link #SMALL}, the CIFAR-10-C table of
 * {@code make_cifar_c.py} (made for 32x32 images), for images whose larger side is at most 64 pixels, else
 * {@link #LARGE}, the ImageNet-C table of {@code make_imagenet_c.py} (made for 224x224). Sizes in pixels that the
 * tables give (a shift, a radius) are scaled by {@link #factor} from the table's own image size.
 */
public enum Scale {
    SMALL(32), LARGE(224);

    /** The larger side, in pixels, at which {@link #SMALL} stops. */
    public static final int SMALL_UP_TO = 64;

    private final int reference;

    Scale(int reference) {
        this.reference = reference;
    }

    /** The side of the images the table was made for: 32 or 224. */
    public int reference() {
        return reference;
    }

    /** The table for an image of {@code height x width}. */
    public static Scale of(int height, int width) {
        return Math.max(height, width) <= SMALL_UP_TO ? SMALL : LARGE;
    }

    /** {@code size / reference()}: how much larger than the table's images an image of side {@code size} is. */
    public double factor(int size) {
        return (double) size / reference;
    }
}
