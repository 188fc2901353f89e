package dev.fovea.train;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gaussian data augmentation: N(0, sigma^2) per pixel, unclipped, fresh each step, fixed by the seed. */
class GaussianAugmentationTest {
    private static final Tensor GREY = Tensor.full(Shape.of(32, 1, 28, 28), 0.9f);

    @Test
    void addsUnclippedNoiseOfTheGivenSpread() {
        float[] before = GREY.data().clone();
        Tensor y = new GaussianAugmentation(0.5).apply(GREY, 42, 3);
        assertArrayEquals(before, GREY.data(), "the input is not changed");
        double sum = 0;
        double sq = 0;
        boolean above = false;
        for (int i = 0; i < y.size(); i++) {
            double d = y.data()[i] - 0.9;
            sum += d;
            sq += d * d;
            above |= y.data()[i] > 1;
        }
        int n = y.size();
        // 25,088 draws: the mean within 4 standard errors (0.0126) of 0, the std within 2% of 0.5
        assertEquals(0, sum / n, 4 * 0.5 / Math.sqrt(n));
        assertEquals(0.5, Math.sqrt(sq / n - (sum / n) * (sum / n)), 0.01);
        assertTrue(above, "the pixel box is not enforced");
    }

    @Test
    void theSeedAndTheStepFixTheDraws() {
        GaussianAugmentation g = new GaussianAugmentation(0.25);
        assertArrayEquals(g.apply(GREY, 1, 0).data(), g.apply(GREY, 1, 0).data());
        assertFalse(java.util.Arrays.equals(g.apply(GREY, 1, 0).data(), g.apply(GREY, 1, 1).data()), "each step draws afresh");
        assertFalse(java.util.Arrays.equals(g.apply(GREY, 1, 0).data(), g.apply(GREY, 2, 0).data()), "another seed, other noise");
        // image i of a batch draws the same whatever the batch holds after it
        float[] firstFour = java.util.Arrays.copyOf(g.apply(GREY, 1, 0).data(), 4 * 784);
        assertArrayEquals(firstFour, g.apply(GREY.slice(0, 4), 1, 0).data());
        Tensor augmix = Tensor.full(Shape.of(96, 1, 28, 28), 0.5f);
        assertEquals(augmix.shape(), g.transform(1).apply(null, augmix, new int[32], 0).shape(), "any number of rows per label");
    }

    @Test
    void sigmaMustBePositive() {
        for (double s : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new GaussianAugmentation(s));
            assertEquals("sigma", e.option());
        }
    }
}
