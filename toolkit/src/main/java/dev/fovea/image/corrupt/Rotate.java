package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Rotation (MNIST-C, Mu and Gilmer 2019, {@code rotate} in {@code corruptions.py}): rotates the image about its
 * centre {@code ((w - 1) / 2, (h - 1) / 2)} by {@code degrees}, counter-clockwise as seen on screen, resampled
 * bilinearly with black (0) filled in where the rotated image does not reach ({@link Warp}: scikit-image's
 * {@code warp} with {@code AffineTransform(rotation)} as the inverse map, {@code order=1}, {@code mode='constant'}).
 * With {@code eitherWay}, each image turns one way or the other by a fair coin, as MNIST-C does.
 *
 * <p>Angle per severity 1 to 5: MNIST-C's table, 0.2, 0.4, 0.6, 0.8, 1.0 radians (11.46 to 57.30 degrees), either
 * way; MNIST-C's data set uses severity 2 (0.4 radians). An angle does not depend on the image size. A multiple of
 * 90 degrees uses exact coefficients (0 and 1), so on a square image it is an exact permutation of the pixels.
 * Identity: 0 degrees.
 */
public final class Rotate extends Corruption<Rotate.Params> {
    private static final double[] RADIANS = {0.2, 0.4, 0.6, 0.8, 1.0};

    /**
     * @param degrees  the angle, counter-clockwise on screen
     * @param eitherWay whether each image turns by {@code -degrees} instead with probability 1/2
     */
    public record Params(double degrees, boolean eitherWay) {
        public Params {
            if (!Double.isFinite(degrees)) {
                throw new IllegalArgumentException("rotate: expected a finite angle in degrees, got " + degrees);
            }
        }
    }

    @Override
    public String name() {
        return "rotate";
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
        return "rotates about the centre, bilinear, black fill (MNIST-C)";
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
        double cos;
        double sin;
        double turns = degrees / 90;
        if (turns == Math.rint(turns)) {
            int q = (int) Math.floorMod((long) turns, 4L);
            cos = q == 0 ? 1 : q == 2 ? -1 : 0;
            sin = q == 1 ? 1 : q == 3 ? -1 : 0;
        } else {
            double t = Math.toRadians(degrees);
            cos = Math.cos(t);
            sin = Math.sin(t);
        }
        Warp.inverse(src, dst, c, h, w, Warp.aboutCentre(cos, -sin, sin, cos, h, w));
    }
}
