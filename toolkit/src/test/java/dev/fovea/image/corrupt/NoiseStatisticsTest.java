package dev.fovea.image.corrupt;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The laws of the noise corruptions, on constant images of 3 x 64 x 64 = 12,288 values: the mean and variance of
 * the change, the fraction of values replaced. Bounds are five standard errors of the estimate (a false alarm about
 * once in 1.7 million runs), so a wrong variance or a biased draw fails.
 */
class NoiseStatisticsTest {
    private static final int C = 3;
    private static final int H = 64;
    private static final int W = 64;

    private static Tensor constant(float v) {
        return Tensor.full(Shape.of(1, C, H, W), v);
    }

    /** Mean and (population) variance of {@code y - x}. */
    private static double[] moments(Tensor x, Tensor y) {
        double s = 0;
        double ss = 0;
        int n = x.size();
        for (int i = 0; i < n; i++) {
            double d = y.data()[i] - x.data()[i];
            s += d;
            ss += d * d;
        }
        double mean = s / n;
        return new double[] {mean, ss / n - mean * mean};
    }

    /** The change has mean 0 and variance {@code variance}: five standard errors either way (normal fourth moment). */
    private static void assertMoments(String what, double[] m, double variance, double kurtosis) {
        int n = C * H * W;
        assertEquals(0, m[0], 5 * Math.sqrt(variance / n), what + ": mean of the change");
        assertEquals(variance, m[1], 5 * variance * Math.sqrt((kurtosis - 1) / n), what + ": variance of the change");
    }

    @Test
    void shotNoiseIsPoissonAtLargeAndSmallMeans() {
        ShotNoise shot = new ShotNoise();
        // CIFAR-10-C severity 1 (mean 250, Devroye's method) and 5 (mean 25, the multiplication method)
        for (int s : new int[] {1, 5}) {
            double photons = shot.parameters(s, 32, 32).photons();
            Tensor x = constant(0.5f);
            double lambda = 0.5 * photons;
            assertMoments("shot-noise severity " + s, moments(x, shot.apply(x, s, 17)), lambda / (photons * photons), 3 + 1 / lambda);
        }
        // a large mean through custom parameters: 0.3 * 2000 = 600
        Tensor x = constant(0.3f);
        assertMoments("shot-noise mean 600", moments(x, shot.apply(x, new ShotNoise.Params(2000), 5, 0)), 0.3 / 2000, 3 + 1 / 600.0);
    }

    @Test
    void shotNoiseDrawsZeroAsOftenAsPoissonSays() {
        // photons 4 at 0.5: mean 2, P(0) = e^-2, P(1) = 2 e^-2
        Tensor y = new ShotNoise().apply(constant(0.5f), new ShotNoise.Params(4), 3, 0);
        int n = y.size();
        int zeros = 0;
        int ones = 0;
        for (float v : y.data()) {
            zeros += v == 0f ? 1 : 0;
            ones += v == 0.25f ? 1 : 0;
        }
        double p0 = Math.exp(-2);
        assertEquals(p0, (double) zeros / n, 5 * Math.sqrt(p0 * (1 - p0) / n), "shot-noise: P(count 0)");
        assertEquals(2 * p0, (double) ones / n, 5 * Math.sqrt(2 * p0 * (1 - 2 * p0) / n), "shot-noise: P(count 1)");
    }

    @Test
    void shotNoiseKeepsBlackAndRefusesNoPhotons() {
        Tensor y = new ShotNoise().apply(constant(0f), 5, 1);
        for (float v : y.data()) {
            assertEquals(0f, v);
        }
        assertThrows(IllegalArgumentException.class, () -> new ShotNoise.Params(0));
        assertThrows(IllegalArgumentException.class, () -> new ShotNoise.Params(Double.NaN));
    }

    @Test
    void speckleNoiseScalesWithTheValue() {
        SpeckleNoise speckle = new SpeckleNoise();
        for (int s : new int[] {1, 5}) {
            double sigma = speckle.parameters(s, 32, 32).sigma();
            Tensor x = constant(0.4f);
            // 0.4 + 0.4 * N(0, 0.2^2) stays inside [0,1] but for 7.5 sigma, so clipping does not bias it
            assertMoments("speckle-noise severity " + s, moments(x, speckle.apply(x, s, 23)), 0.16 * sigma * sigma, 3);
        }
        Tensor black = speckle.apply(constant(0f), 5, 1);
        for (float v : black.data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void gaussianNoiseHasItsVariance() {
        GaussianNoise gaussian = new GaussianNoise();
        double sigma = gaussian.parameters(2, 32, 32).sigma();
        Tensor x = constant(0.5f);
        assertMoments("gaussian-noise severity 2", moments(x, gaussian.apply(x, 2, 29)), sigma * sigma, 3);
    }

    @Test
    void impulseNoiseReplacesTheAmountHalfWithSalt() {
        ImpulseNoise impulse = new ImpulseNoise();
        for (int[] hw : new int[][] {{32, 32}, {224, 224}}) {
            double amount = impulse.parameters(5, hw[0], hw[1]).amount();
            Tensor x = constant(0.5f);
            Tensor y = impulse.apply(x, impulse.parameters(5, hw[0], hw[1]), 31, 0);
            int n = y.size();
            int salt = 0;
            int pepper = 0;
            for (float v : y.data()) {
                if (v == 1f) {
                    salt++;
                } else if (v == 0f) {
                    pepper++;
                } else {
                    assertEquals(0.5f, v, "impulse-noise: a value neither kept nor replaced");
                }
            }
            int flipped = salt + pepper;
            assertEquals(amount, (double) flipped / n, 5 * Math.sqrt(amount * (1 - amount) / n), "impulse-noise: fraction replaced");
            assertEquals(0.5, (double) salt / flipped, 5 * Math.sqrt(0.25 / flipped), "impulse-noise: salt among replaced");
        }
        assertThrows(IllegalArgumentException.class, () -> new ImpulseNoise.Params(1.5, 0.5));
    }

    @Test
    void impulseNoiseAllSaltOrAllPepper() {
        Tensor x = constant(0.5f);
        for (float v : new ImpulseNoise().apply(x, new ImpulseNoise.Params(1, 1), 1, 0).data()) {
            assertEquals(1f, v);
        }
        for (float v : new ImpulseNoise().apply(x, new ImpulseNoise.Params(1, 0), 1, 0).data()) {
            assertEquals(0f, v);
        }
        assertTrue(new ImpulseNoise().random());
    }
}
