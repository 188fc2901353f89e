package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Shear (MNIST-C, Mu and Gilmer 2019, {@code shear} in {@code corruptions.py}): the inverse map is scikit-image's
 * {@code AffineTransform(shear=s)} (version 0.19, as MNIST-C used it), {@code x_in = x - sin(s) y},
 * {@code y_in = cos(s) y}, about the image centre {@code ((w - 1) / 2, (h - 1) / 2)}: rows slide sideways in
 * proportion to their height over the centre, and the image stretches vertically by {@code 1 / cos(s)}. Bilinear,
 * black (0) fill ({@link Warp}). With {@code eitherWay}, each image shears one way or the other by a fair coin, as
 * MNIST-C does.
 *
 * <p>Angle per severity 1 to 5: MNIST-C's table, 0.2, 0.4, 0.6, 0.8, 1.0 radians (11.46 to 57.30 degrees), either
 * way; MNIST-C's data set uses severity 2 (0.4 radians). An angle does not depend on the image size. Identity: 0.
 */
public final class Shear extends Corruption<Shear.Params> {
    private static final double[] RADIANS = {0.2, 0.4, 0.6, 0.8, 1.0};

    /**
     * @param degrees   the shear angle {@code s}
     * @param eitherWay whether each image shears by {@code -degrees} instead with probability 1/2
     */
    public record Params(double degrees, boolean eitherWay) {
        public Params {
            if (!(Math.abs(degrees) < 90)) {
                throw new IllegalArgumentException("shear: expected an angle strictly between -90 and 90 degrees, got " + degrees);
            }
        }
    }

    @Override
    public String name() {
        return "shear";
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
        return "shears sideways about the centre, bilinear, black fill (MNIST-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Math.toDegrees(Corruptions.at(RADIANS, severity)), true);
    }

    @Override
    public Params identity() {
        return new Params(0, false);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double degrees = p.eitherWay() && rng.nextBoolean() ? -p.degrees() : p.degrees();
        if (degrees == 0) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        double s = Math.toRadians(degrees);
        Warp.inverse(src, dst, c, h, w, Warp.aboutCentre(1, -Math.sin(s), 0, Math.cos(s), h, w));
    }
}
