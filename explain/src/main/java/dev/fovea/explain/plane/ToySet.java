package dev.fovea.explain.plane;

import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Two-class point sets in the plane, as {@code [N,2,1,1]} data sets (a network of the own engine takes
 * {@code [C,H,W]} samples; a {@code flatten} makes them {@code [N,2]}). Classes alternate, so any prefix is
 * balanced; a set has 2 to {@value #MAX_POINTS} points. Gaussian noise of standard deviation {@code noise} is added to both coordinates.
 * <ul>
 *   <li>{@link #MOONS}: two interleaving half circles, as scikit-learn's {@code make_moons}: class 0 on
 *       {@code (cos t, sin t)}, class 1 on {@code (1 - cos t, 0.5 - sin t)}, {@code t} uniform in {@code [0, pi]}.</li>
 *   <li>{@link #SPIRALS}: two interleaved arms of one and a half turns, {@code r = t}, class 1 rotated by 180
 *       degrees, scaled to about {@code [-1,1]}.</li>
 * </ul>
 */
public enum ToySet {
    MOONS, SPIRALS;

    /** The most points a set may have: 100,000 (the plane pictures stay readable with a few hundred). */
    public static final int MAX_POINTS = 100_000;

    /** The data set's name in options and reports. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code moons} or {@code spirals}. */
    public static ToySet parse(String s) {
        for (ToySet t : values()) {
            if (t.label().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("toy data: expected moons or spirals, got '" + s + "'");
    }

    public Dataset generate(int n, double noise, long seed) {
        if (n < 2 || n > MAX_POINTS) {
            throw new InvalidOptionException("points", "points must be in [2," + MAX_POINTS + "], got " + n);
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("toy data: expected a noise level >= 0, got " + noise);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] xy = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double px;
            double py;
            if (this == MOONS) {
                double t = Math.PI * r.nextDouble();
                px = c == 0 ? Math.cos(t) : 1 - Math.cos(t);
                py = c == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            } else {
                double t = 0.25 + 3 * Math.PI * Math.sqrt(r.nextDouble());
                double a = t + (c == 1 ? Math.PI : 0);
                px = t * Math.cos(a) / (3 * Math.PI);
                py = t * Math.sin(a) / (3 * Math.PI);
            }
            xy[2 * i] = (float) (px + noise * gaussian(r));
            xy[2 * i + 1] = (float) (py + noise * gaussian(r));
            y[i] = c;
        }
        return new Dataset(Tensor.of(xy, n, 2, 1, 1), y, List.of("0", "1"), label() + " (n=" + n + ", noise=" + noise + ", seed=" + seed + ")");
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
