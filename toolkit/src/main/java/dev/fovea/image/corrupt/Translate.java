package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Translation (MNIST-C, Mu and Gilmer 2019, {@code translate} in {@code corruptions.py}): moves the image
 * {@code right} pixels to the right and {@code down} pixels down, filling the uncovered border with black (0); the
 * pixels moved out are lost. With {@code randomSigns} each image moves left or right and up or down by two fair
 * coins, as MNIST-C does (it warps by {@code translation=[dx, dy]} with a random sign on each; by whole pixels its
 * bilinear warp is this exact shift).
 *
 * <p>Shift per severity 1 to 5: MNIST-C's table 1, 2, 3, 4, 5 pixels on its 28x28 images, in both directions at
 * once; MNIST-C's data set uses severity 3. Other sizes scale the table by {@code width / 28} horizontally and
 * {@code height / 28} vertically, rounded to whole pixels (at least 1), so the shift stays exact: on 32x32 images
 * 1, 2, 3, 5, 6. Identity: no shift.
 */
public final class Translate extends Corruption<Translate.Params> {
    /** MNIST-C's shifts on its own images, of side {@link #REFERENCE}. */
    private static final double[] PIXELS = {1, 2, 3, 4, 5};
    static final int REFERENCE = 28;

    /**
     * @param right       pixels to the right (negative: to the left)
     * @param down        pixels down (negative: up)
     * @param randomSigns whether each image flips the sign of each shift with probability 1/2
     */
    public record Params(int right, int down, boolean randomSigns) {
    }

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public Family family() {
        return Family.GEOMETRIC;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "shifts by whole pixels in both directions, black fill (MNIST-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double px = Corruptions.at(PIXELS, severity);
        return new Params(scaled(px, width), scaled(px, height), true);
    }

    /** {@code pixels} on a side of {@link #REFERENCE} scaled to a side of {@code size}, rounded, at least 1. */
    static int scaled(double pixels, int size) {
        return (int) Math.max(1, Math.round(pixels * size / REFERENCE));
    }

    @Override
    public Params identity() {
        return new Params(0, 0, false);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int right = p.randomSigns() && rng.nextBoolean() ? -p.right() : p.right();
        int down = p.randomSigns() && rng.nextBoolean() ? -p.down() : p.down();
        shift(src, dst, c, h, w, right, down);
    }

    /** {@code dst(r, x) = src(r - down, x - right)}, 0 where that lies outside. */
    static void shift(float[] src, float[] dst, int c, int h, int w, long right, long down) {
        java.util.Arrays.fill(dst, 0f);
        for (int ch = 0; ch < c; ch++) {
            int o = ch * h * w;
            for (int r = 0; r < h; r++) {
                long from = r - down;
                if (from < 0 || from >= h) {
                    continue;
                }
                long lo = Math.max(0, right);
                long hi = Math.min(w, w + right);
                if (lo < hi) {
                    System.arraycopy(src, (int) (o + from * w + lo - right), dst, (int) (o + r * w + lo), (int) (hi - lo));
                }
            }
        }
    }
}
