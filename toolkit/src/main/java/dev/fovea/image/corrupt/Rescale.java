package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Scale (MNIST-C, Mu and Gilmer 2019, {@code scale} in {@code corruptions.py}): resizes the image by
 * {@code factor} about its centre {@code ((w - 1) / 2, (h - 1) / 2)}, keeping its size: below 1 it shrinks inside a
 * black (0) border, above 1 it zooms in and its edges are cut off. The inverse map is scikit-image's
 * {@code AffineTransform(scale=1/factor)}, bilinear, black fill ({@link Warp}). Named {@code Rescale} here, as
 * {@link Scale} names the choice of parameter table.
 *
 * <p>Factor per severity 1 to 5: MNIST-C's table, 0.9, 0.8, 0.7, 0.6, 0.5 (its inverse-map scales 1/0.9 to
 * 1/0.5); MNIST-C's data set uses severity 3 (0.7). A factor does not depend on the image size. Deterministic.
 * Identity: factor 1.
 */
public final class Rescale extends Corruption<Rescale.Params> {
    private static final double[] FACTOR = {0.9, 0.8, 0.7, 0.6, 0.5};

    /** @param factor how much larger the image's content becomes, positive */
    public record Params(double factor) {
        public Params {
            if (!(factor > 0) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("scale: expected a positive finite factor, got " + factor);
            }
        }
    }

    @Override
    public String name() {
        return "scale";
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
        return "shrinks about the centre inside a black border, bilinear (MNIST-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(FACTOR, severity));
    }

    @Override
    public Params identity() {
        return new Params(1);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        if (p.factor() == 1) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        double inv = 1 / p.factor();
        Warp.inverse(src, dst, c, h, w, Warp.aboutCentre(inv, 0, 0, inv, h, w));
    }
}
