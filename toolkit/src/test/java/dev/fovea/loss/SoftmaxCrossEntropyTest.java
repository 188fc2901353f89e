package dev.fovea.loss;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxCrossEntropyTest {
    @Test
    void matchesTheDefinitionOnSmallLogits() {
        Tensor z = Tensor.of(new float[] {1f, 2f, 3f, 0.5f, -1f, 0f}, 2, 3);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, new int[] {2, 0});
        double l0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
        double l1 = -Math.log(Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-1) + Math.exp(0)));
        assertEquals(l0, r.perSample()[0], 1e-6);
        assertEquals(l1, r.perSample()[1], 1e-6);
        assertEquals((l0 + l1) / 2, r.loss(), 1e-6);
    }

    @Test
    void staysFiniteForHugeLogits() {
        Tensor z = Tensor.of(new float[] {1000f, -1000f, 0f, 1e4f, 1e4f, -1e4f}, 2, 3);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, new int[] {1, 0});
        assertEquals(2000.0, r.perSample()[0], 1e-3);
        assertEquals(Math.log(2), r.perSample()[1], 1e-6);
        assertTrue(r.gradient().allFinite());
    }

    @Test
    void gradientMatchesCentralDifferences() {
        float[] z = {0.3f, -1.2f, 2.0f, 0.7f, 0.1f, -0.4f, 1.5f, 0.9f};
        int[] y = {3, 0};
        Tensor g = SoftmaxCrossEntropy.compute(Tensor.of(z.clone(), 2, 4), y).gradient();
        double h = 1e-3;
        for (int i = 0; i < z.length; i++) {
            float[] p = z.clone();
            float[] m = z.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            double num = (SoftmaxCrossEntropy.compute(Tensor.of(p, 2, 4), y).loss() - SoftmaxCrossEntropy.compute(Tensor.of(m, 2, 4), y).loss())
                    / ((double) p[i] - m[i]);
            assertEquals(num, g.data()[i], 1e-4, "logit " + i);
        }
    }

    @Test
    void rejectsLabelsOutsideTheClasses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.compute(Tensor.of(new float[] {1, 2}, 1, 2), new int[] {2}));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
    }
}
