package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * The diamond-square height map of the published generators' {@code plasma_fractal} (after FLHerne's mapgen), on
 * a square of {@code size} (a power of two) with wrap-around neighbours: corner 0 is 0; for step sizes from
 * {@code size} down to 2, each square's centre is the mean of its 4 corners plus {@code wibble * U(-wibble, wibble)}
 * (squares), then each edge midpoint the mean of its 2 neighbouring centres and 2 neighbouring corners plus the
 * same noise (diamonds: first the midpoints of rows of corners, then of columns); {@code wibble} starts at 100 and
 * is divided by {@code decay} after each step. The map is then shifted and scaled to {@code [0, 1]} (a map of one
 * point, or a flat one, is all zeros). Draws go row by row, as numpy fills an array.
 */
final class PlasmaFractal {
    private PlasmaFractal() {
    }

    /** The smallest power of two at least {@code n} (1 for {@code n <= 1}). */
    static int nextPowerOfTwo(int n) {
        int p = 1;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }

    /** A {@code size x size} map, row-major, in {@code [0, 1]}. */
    static double[] make(int size, double decay, RandomGenerator rng) {
        if (size < 1 || Integer.bitCount(size) != 1 || !(decay > 0)) {
            throw new IllegalArgumentException("plasma fractal: expected a power-of-two size and decay > 0, got size=" + size
                    + " decay=" + decay);
        }
        double[] m = new double[size * size];
        double wibble = 100;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            int n = size / step;
            // squares: centres from the four corners around them
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = at(m, size, i * step, j * step) + at(m, size, i * step + step, j * step)
                            + at(m, size, i * step, j * step + step) + at(m, size, i * step + step, j * step + step);
                    m[(i * step + half) * size + j * step + half] = s / 4 + wibble * rng.nextDouble(-wibble, wibble);
                }
            }
            // diamonds on rows of corners: centres above and below, corners left and right
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = at(m, size, i * step + half, j * step + half) + at(m, size, i * step - half, j * step + half)
                            + at(m, size, i * step, j * step) + at(m, size, i * step, j * step + step);
                    m[i * step * size + j * step + half] = s / 4 + wibble * rng.nextDouble(-wibble, wibble);
                }
            }
            // diamonds on columns of corners: centres left and right, corners above and below
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = at(m, size, i * step + half, j * step + half) + at(m, size, i * step + half, j * step - half)
                            + at(m, size, i * step, j * step) + at(m, size, i * step + step, j * step);
                    m[(i * step + half) * size + j * step] = s / 4 + wibble * rng.nextDouble(-wibble, wibble);
                }
            }
            wibble /= decay;
        }
        double lo = Double.POSITIVE_INFINITY;
        for (double v : m) {
            lo = Math.min(lo, v);
        }
        double hi = 0;
        for (int i = 0; i < m.length; i++) {
            m[i] -= lo;
            hi = Math.max(hi, m[i]);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] = hi > 0 ? m[i] / hi : 0;
        }
        return m;
    }

    private static double at(double[] m, int size, int r, int c) {
        return m[Math.floorMod(r, size) * size + Math.floorMod(c, size)];
    }
}
