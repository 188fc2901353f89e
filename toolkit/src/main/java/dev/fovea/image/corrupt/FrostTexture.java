package dev.fovea.image.corrupt;

import java.util.SplittableRandom;

/**
 * Procedural frost: a square texture in {@code [0,1]} that stands in for the photographs of frosted glass the
 * published frost corruption blends in (which are not ours to ship). Made at run time from a seed, the same for
 * the same seed and side on every machine:
 *
 * <ol>
 *   <li>a hazy ground: four octaves of value noise (random values on a lattice, smoothstep-interpolated; the
 *       coarsest lattice {@code side / 4} apart, each octave twice as fine and half as strong);</li>
 *   <li>ice crystals: about {@code 12} per image area of straight bright streaks (random start, direction, a
 *       length of 0.1 to 0.5 image sides, brightness 0.4 to 1, fading towards the tip), each with two to four
 *       branches at 60 degrees to it, 0.2 to 0.4 of its length, drawn one pixel thin with bilinear splats and the
 *       maximum where streaks cross;</li>
 *   <li>a glow: the streaks blurred by a gaussian of {@code size / 128} pixels ({@link Filters#gaussian}), at half
 *       strength;</li>
 *   <li>{@code v = clip(0.2 + 0.45 ground + 0.8 streaks + 0.5 glow)}.</li>
 * </ol>
 *
 * <p>The texture is {@code 2 size + 2} pixels on a side for images of larger side {@code size}, so that random
 * crops of the image's size vary; features are sized relative to the image, as the generators' photographs are
 * relative to their crops. The frost's colour is a bluish white: channel weights {@link #TINT} on {@code v}.
 */
final class FrostTexture {
    /** Red, green and blue weights of the frost's brightness. */
    static final double[] TINT = {0.86, 0.93, 1.0};

    private FrostTexture() {
    }

    /** The side of the texture for images whose larger side is {@code size}. */
    static int side(int size) {
        return 2 * size + 2;
    }

    /** The brightness plane, {@code side(size) x side(size)}, row-major. */
    static float[] make(long seed, int size) {
        int t = side(size);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] ground = new double[t * t];
        double amplitude = 1;
        double total = 0;
        double cell = Math.max(2, size / 4.0);
        for (int octave = 0; octave < 4; octave++) {
            int n = (int) Math.ceil(t / cell) + 2;
            double[] lattice = new double[n * n];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = rng.nextDouble();
            }
            for (int y = 0; y < t; y++) {
                double gy = y / cell;
                int iy = (int) gy;
                double sy = smooth(gy - iy);
                for (int x = 0; x < t; x++) {
                    double gx = x / cell;
                    int ix = (int) gx;
                    double sx = smooth(gx - ix);
                    double a = lattice[iy * n + ix] * (1 - sx) + lattice[iy * n + ix + 1] * sx;
                    double b = lattice[(iy + 1) * n + ix] * (1 - sx) + lattice[(iy + 1) * n + ix + 1] * sx;
                    ground[y * t + x] += amplitude * (a * (1 - sy) + b * sy);
                }
            }
            total += amplitude;
            amplitude /= 2;
            cell = Math.max(1, cell / 2);
        }
        float[] streaks = new float[t * t];
        int count = (int) Math.round(12.0 * t * t / ((double) size * size));
        for (int s = 0; s < count; s++) {
            double x0 = rng.nextDouble() * t;
            double y0 = rng.nextDouble() * t;
            double angle = rng.nextDouble() * 2 * Math.PI;
            double length = size * (0.1 + 0.4 * rng.nextDouble());
            double bright = 0.4 + 0.6 * rng.nextDouble();
            streak(streaks, t, x0, y0, angle, length, bright);
            int branches = 2 + rng.nextInt(3);
            for (int b = 0; b < branches; b++) {
                double at = length * (0.2 + 0.6 * rng.nextDouble());
                double side = rng.nextBoolean() ? Math.PI / 3 : -Math.PI / 3;
                double bl = length * (0.2 + 0.2 * rng.nextDouble());
                streak(streaks, t, x0 + at * Math.cos(angle), y0 + at * Math.sin(angle), angle + side, bl,
                        bright * 0.7 * (1 - 0.7 * at / length));
            }
        }
        float[] glow = Filters.gaussian(streaks, 1, t, t, size / 128.0, Filters.Border.REFLECT);
        float[] v = new float[t * t];
        for (int i = 0; i < v.length; i++) {
            double value = 0.2 + 0.45 * ground[i] / total + 0.8 * streaks[i] + 0.5 * glow[i];
            v[i] = (float) Math.min(1, Math.max(0, value));
        }
        return v;
    }

    private static double smooth(double f) {
        return f * f * (3 - 2 * f);
    }

    /** A one-pixel line of {@code length} from {@code (x0, y0)}, fading from {@code bright} to 30% of it. */
    private static void streak(float[] layer, int t, double x0, double y0, double angle, double length, double bright) {
        double dx = Math.cos(angle);
        double dy = Math.sin(angle);
        for (double s = 0; s <= length; s += 0.5) {
            double x = x0 + s * dx;
            double y = y0 + s * dy;
            int ix = (int) Math.floor(x);
            int iy = (int) Math.floor(y);
            double fx = x - ix;
            double fy = y - iy;
            double v = bright * (1 - 0.7 * s / length);
            splat(layer, t, ix, iy, v * (1 - fx) * (1 - fy));
            splat(layer, t, ix + 1, iy, v * fx * (1 - fy));
            splat(layer, t, ix, iy + 1, v * (1 - fx) * fy);
            splat(layer, t, ix + 1, iy + 1, v * fx * fy);
        }
    }

    private static void splat(float[] layer, int t, int x, int y, double v) {
        if (x >= 0 && x < t && y >= 0 && y < t) {
            int i = y * t + x;
            layer[i] = (float) Math.max(layer[i], v);
        }
    }
}
