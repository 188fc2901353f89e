package dev.fovea.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * AugMix's consistency loss: its value and gradient against PyTorch's autograd on the reference formula
 * ({@code fixtures/make_augment_golden.py}), and the gradient against central differences in double precision, with
 * and without the mixture's clamp active.
 */
class JensenShannonConsistencyTest {
    private static double[] random(int size, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] z = new double[size];
        for (int i = 0; i < size; i++) {
            z[i] = scale * (2 * r.nextDouble() - 1);
        }
        return z;
    }

    @Test
    void valueAndGradientMatchPyTorch() throws IOException {
        JsonNode m = new ObjectMapper().readTree(FixturePaths.fixture("golden", "augment", "manifest.json").toFile());
        double tol = m.get("jsd_tolerance").asDouble();
        for (JsonNode c : m.get("jsd")) {
            JsonNode rows = c.get("logits");
            int n = c.get("labels").size();
            int k = rows.get(0).size();
            double[] z = new double[3 * n * k];
            int[] y = new int[n];
            for (int i = 0; i < 3 * n; i++) {
                for (int j = 0; j < k; j++) {
                    z[i * k + j] = rows.get(i).get(j).asDouble();
                }
            }
            for (int i = 0; i < n; i++) {
                y[i] = c.get("labels").get(i).asInt();
            }
            double[] g = new double[z.length];
            double loss = JensenShannonConsistency.compute(z, n, k, y, c.get("lambda").asDouble(), g)[0];
            assertEquals(c.get("loss").asDouble(), loss, tol * Math.abs(loss), "loss");
            for (int i = 0; i < 3 * n; i++) {
                for (int j = 0; j < k; j++) {
                    double want = c.get("grad").get(i).get(j).asDouble();
                    assertEquals(want, g[i * k + j], tol, "gradient at row " + i + ", class " + j);
                }
            }
        }
    }

    @Test
    void gradientMatchesCentralDifferences() {
        int n = 3;
        int k = 4;
        int[] y = {1, 3, 0};
        double[] plain = random(3 * n * k, 1, 3);
        double[] clamped = random(3 * n * k, 2, 1);
        for (int row = 0; row < 3 * n; row++) {
            clamped[row * k + 2] -= 30; // class 2 gets about e^-30 in every copy: the mixture's floor is active
        }
        int checked = 0;
        for (double[] z : new double[][] {plain, clamped}) {
            double[] g = new double[z.length];
            JensenShannonConsistency.compute(z, n, k, y, 12, g);
            double h = 1e-5;
            for (int i = 0; i < z.length; i++) {
                double[] p = z.clone();
                double[] q = z.clone();
                p[i] += h;
                q[i] -= h;
                double num = (JensenShannonConsistency.compute(p, n, k, y, 12, null)[0]
                        - JensenShannonConsistency.compute(q, n, k, y, 12, null)[0]) / (2 * h);
                double err = Math.abs(g[i] - num) / (Math.abs(g[i]) + Math.abs(num) + 1e-12);
                // relative error |a-n|/(|a|+|n|); gradients below 1e-10 (the clamped class) are within the differences' rounding
                if (err > 1e-6 && Math.abs(g[i] - num) > 1e-10) {
                    fail("jensen-shannon loss: logit " + i + " (row " + i / k + ", class " + i % k + "): analytic " + g[i]
                            + ", numeric " + num + ", relative error " + err);
                }
                checked++;
            }
        }
        assertEquals(2 * 3 * n * k, checked);
    }

    @Test
    void identicalCopiesLeaveTheCrossEntropy() {
        int n = 2;
        int k = 3;
        double[] one = random(n * k, 5, 2);
        double[] z = new double[3 * n * k];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(one, 0, z, i * n * k, n * k);
        }
        int[] y = {2, 0};
        double[] parts = JensenShannonConsistency.compute(z, n, k, y, 12, new double[z.length]);
        float[] f = new float[n * k];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) one[i];
        }
        assertEquals(0, parts[2], 1e-15, "divergence of identical predictions");
        assertEquals(SoftmaxCrossEntropy.compute(Tensor.of(f, n, k), y).loss(), parts[0], 1e-6);
    }

    @Test
    void theTensorFormAgreesAndChecksShapes() {
        float[] z = {0.5f, -1f, 2f, 0.1f, 0.3f, -0.2f};
        JensenShannonConsistency.Result r = JensenShannonConsistency.compute(Tensor.of(z, 3, 2), new int[] {1}, 12);
        double[] d = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            d[i] = z[i];
        }
        double[] parts = JensenShannonConsistency.compute(d, 1, 2, new int[] {1}, 12, null);
        assertEquals(parts[0], r.loss(), 1e-12);
        assertEquals(parts[1] + 12 * parts[2], r.loss(), 1e-12);
        String msg = assertThrows(ShapeException.class,
                () -> JensenShannonConsistency.compute(Tensor.of(z, 2, 3), new int[] {1}, 12)).getMessage();
        assertTrue(msg.contains("[3N,K]") && msg.contains("[2,3]"), msg);
        assertThrows(IllegalArgumentException.class, () -> JensenShannonConsistency.compute(Tensor.of(z, 3, 2), new int[] {2}, 12));
    }
}
