package dev.fovea.image.corrupt;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The convolution-backed filters against direct loops, for every border. */
class FiltersTest {
    /** Where position {@code i} of a line of {@code n} reads, by folding back at the ends one step at a time. */
    private static int fold(int i, int n, Filters.Border b) {
        if (b == Filters.Border.CONSTANT) {
            return i < 0 || i >= n ? -1 : i;
        }
        if (b == Filters.Border.NEAREST) {
            return Math.max(0, Math.min(n - 1, i));
        }
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            if (i < 0) {
                i = b == Filters.Border.REFLECT ? -i - 1 : -i;
            } else {
                i = b == Filters.Border.REFLECT ? 2 * n - 1 - i : 2 * n - 2 - i;
            }
        }
        return i;
    }

    private static double[] naive(float[] x, int count, int h, int w, float[] k, int size, int ay, int ax, Filters.Border b) {
        double[] out = new double[count * h * w];
        for (int p = 0; p < count; p++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double s = 0;
                    for (int u = 0; u < size; u++) {
                        for (int v = 0; v < size; v++) {
                            int r = fold(y + u - ay, h, b);
                            int c = fold(xx + v - ax, w, b);
                            s += r < 0 || c < 0 ? 0 : (double) k[u * size + v] * x[(p * h + r) * w + c];
                        }
                    }
                    out[(p * h + y) * w + xx] = s;
                }
            }
        }
        return out;
    }

    @Test
    void correlateMatchesDirectLoopsForEveryBorder() {
        SplittableRandom rng = new SplittableRandom(5);
        int[][] cases = {{2, 9, 7, 5, 2, 2}, {3, 4, 6, 3, 0, 2}, {1, 2, 3, 5, 4, 1}, {2, 1, 5, 3, 1, 1}, {1, 11, 4, 7, 3, 6}};
        for (Filters.Border b : Filters.Border.values()) {
            for (int[] c : cases) {
                int count = c[0], h = c[1], w = c[2], k = c[3], ay = c[4], ax = c[5];
                float[] x = new float[count * h * w];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextDouble();
                }
                float[] kernel = new float[k * k];
                for (int i = 0; i < kernel.length; i++) {
                    kernel[i] = (float) (rng.nextDouble() * 2 - 1);
                }
                float[] got = Filters.correlate(x, count, h, w, kernel, k, ay, ax, b);
                double[] want = naive(x, count, h, w, kernel, k, ay, ax, b);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5, b + " " + java.util.Arrays.toString(c) + " at " + i);
                }
            }
        }
    }

    @Test
    void bordersIndexAsScipyNamesThem() {
        // scipy.ndimage docs: reflect (d c b a | a b c d | d c b a), mirror (d c b | a b c d | c b a), nearest
        int[] reflect = new int[10];
        int[] mirror = new int[10];
        for (int i = -3; i < 7; i++) {
            reflect[i + 3] = Filters.source(i, 4, Filters.Border.REFLECT);
            mirror[i + 3] = Filters.source(i, 4, Filters.Border.MIRROR);
        }
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 3, 3, 2, 1}, reflect);
        assertArrayEquals(new int[] {3, 2, 1, 0, 1, 2, 3, 2, 1, 0}, mirror);
        assertEquals(3, Filters.source(9, 4, Filters.Border.NEAREST));
        assertEquals(-1, Filters.source(-1, 4, Filters.Border.CONSTANT));
    }

    @Test
    void gaussianTapsSumToOneAndFollowScipysRadius() {
        for (double sigma : new double[] {0.05, 0.4, 1, 1.5, 3.7, 6}) {
            double[] taps = Filters.gaussianTaps(sigma, 4.0);
            assertEquals(2 * (int) (4 * sigma + 0.5) + 1, taps.length, "sigma " + sigma);
            double sum = 0;
            for (double t : taps) {
                sum += t;
            }
            assertEquals(1.0, sum, 1e-12, "sigma " + sigma);
            assertEquals(taps[0], taps[taps.length - 1], 0.0);
        }
        assertArrayEquals(new double[] {1}, Filters.gaussianTaps(0, 4.0));
        double[] cv = Filters.cvGaussianTaps(3, 0.8);
        assertEquals(1.0, cv[0] + cv[1] + cv[2], 1e-12);
    }

    @Test
    void blurOfAConstantPlaneIsConstantAndSigmaZeroIsExact() {
        float[] x = new float[2 * 13 * 9];
        java.util.Arrays.fill(x, 0.625f);
        for (Filters.Border b : Filters.Border.values()) {
            if (b == Filters.Border.CONSTANT) {
                continue;
            }
            for (float v : Filters.gaussian(x, 2, 13, 9, 1.7, b)) {
                assertEquals(0.625f, v, 1e-6f, b.name());
            }
        }
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        assertArrayEquals(x, Filters.gaussian(x, 2, 13, 9, 0, Filters.Border.NEAREST));
    }

    @Test
    void separableGaussianEqualsTheFullKernel() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[10 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        double[] t = Filters.gaussianTaps(1.2, 4.0);
        int k = t.length;
        float[] full = new float[k * k];
        for (int u = 0; u < k; u++) {
            for (int v = 0; v < k; v++) {
                full[u * k + v] = (float) (t[u] * t[v]);
            }
        }
        float[] a = Filters.gaussian(x, 1, 10, 12, 1.2, Filters.Border.REFLECT);
        double[] b = naive(x, 1, 10, 12, full, k, k / 2, k / 2, Filters.Border.REFLECT);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-5, "at " + i);
        }
    }
}
