package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Stripes (MNIST-C, Mu and Gilmer 2019, {@code stripe} in {@code corruptions.py}): inverts ({@code 1 - x}) the
 * leftmost {@code width} and the rightmost {@code width} columns in every channel; a column in both is inverted
 * once. Deterministic.
 *
 * <p>MNIST-C has one strength, 7 of its 28 columns on each side; here it is severity 3 of 3, 5, 7, 9, 11 columns
 * on 28 (fovea's table around it). Other widths scale it by {@code width / 28}, rounded, at least 1 (on 32: 3, 6,
 * 8, 10, 13). Identity: width 0.
 */
public final class Stripes extends Corruption<Stripes.Params> {
    private static final double[] COLUMNS = {3, 5, 7, 9, 11};

    /** @param width the columns inverted on each side */
    public record Params(int width) {
        public Params {
            if (width < 0) {
                throw new IllegalArgumentException("stripes: expected a width >= 0, got " + width);
            }
        }
    }

    @Override
    public String name() {
        return "stripes";
    }

    @Override
    public Family family() {
        return Family.OCCLUSION;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "inverts a band of columns at each side (MNIST-C stripe)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Translate.scaled(Corruptions.at(COLUMNS, severity), width));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        for (int row = 0; row < c * h; row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                boolean inverted = x < p.width() || x >= w - p.width();
                dst[o + x] = inverted ? 1f - src[o + x] : src[o + x];
            }
        }
    }
}
