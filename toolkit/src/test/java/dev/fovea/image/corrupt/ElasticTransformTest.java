package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElasticTransformTest {
    private final ElasticTransform elastic = new ElasticTransform();

    @Test
    void publishedNumbersAtTheTablesOwnSizesAndScaledElsewhere() {
        assertEquals(new ElasticTransform.Params(32 * 0.05, 32 * 0.2, 32 * 0.07), elastic.parameters(2, 32, 32));
        assertEquals(new ElasticTransform.Params(244 * 2.0, 244 * 0.7, 244 * 0.1), elastic.parameters(1, 224, 224));
        assertEquals(new ElasticTransform.Params(244 * 0.12, 244 * 0.01, 244 * 0.02), elastic.parameters(5, 224, 224));
        ElasticTransform.Params small = elastic.parameters(4, 28, 20);
        assertEquals(32 * 0.1 * 28 / 32, small.alpha(), 1e-12);
        assertEquals(32 * 0.04 * 28 / 32, small.sigma(), 1e-12);
    }

    @Test
    void zeroDisplacementAndNoAffineMoveReturnTheImage() {
        Tensor x = CorruptionDigest.images(2, 3, 17, 40, 2);
        // a smoothing width alone moves nothing: alpha 0 scales the field to zero
        assertArrayEquals(x.data(), elastic.apply(x, new ElasticTransform.Params(0, 5, 0), 4, 0).data());
    }

    @Test
    void interpolationNeverLeavesTheInputsRange() {
        for (int[] hw : new int[][] {{32, 32}, {96, 80}}) {
            Tensor x = CorruptionDigest.images(1, 3, hw[0], hw[1], 6);
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float v : x.data()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (int s = 1; s <= 5; s++) {
                for (float v : elastic.apply(x, s, 8).data()) {
                    assertTrue(v >= lo - 1e-6f && v <= hi + 1e-6f, "severity " + s + " gave " + v + " outside [" + lo + ", " + hi + "]");
                }
            }
        }
    }

    @Test
    void affineMapByCramersRule() {
        float[][] p = {{20, 20}, {20, 12}, {12, 12}};
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, ElasticTransform.affineMap(p, p), 0); // exact (zeros may be -0)
        float[][] q = {{21.5f, 18}, {21.5f, 10}, {13.5f, 10}};
        assertArrayEquals(new double[] {1, 0, 1.5, 0, 1, -2}, ElasticTransform.affineMap(p, q), 1e-12);
        float[][] swap = {{20, 20}, {12, 20}, {12, 12}}; // (x, y) -> (y, x)
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, ElasticTransform.affineMap(p, swap), 1e-12);
        assertEquals(null, ElasticTransform.affineMap(new float[][] {{1, 1}, {1, 1}, {1, 1}}, q));
    }

    @Test
    void bordersMirrorAsScipyAndOpenCvDo() {
        int[] scipy = new int[9];
        int[] opencv = new int[9];
        for (int i = -3; i <= 5; i++) {
            scipy[i + 3] = ElasticTransform.mirror(i, 3);
            opencv[i + 3] = ElasticTransform.mirror101(i, 3);
        }
        assertArrayEquals(new int[] {2, 1, 0, 0, 1, 2, 2, 1, 0}, scipy);
        assertArrayEquals(new int[] {1, 2, 1, 0, 1, 2, 1, 0, 1}, opencv);
        assertEquals(0, ElasticTransform.mirror101(7, 1));
    }

    @Test
    void gaussianKernelAsScipyCutsItAndSmoothingKeepsConstants() {
        double[] k = ElasticTransform.kernel(1.3); // radius (int)(3.9 + 0.5) = 4
        assertEquals(9, k.length);
        double sum = 0;
        for (double v : k) {
            sum += v;
        }
        assertEquals(1, sum, 1e-15);
        assertEquals(Math.exp(-0.5 / (1.3 * 1.3)), k[5] / k[4], 1e-15);
        // a kernel far longer than the line (radius 512 on 5 values) folds onto it and keeps a constant constant
        double[] f = {0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25};
        ElasticTransform.smoothAxis(f, 5, 2, 1, 5, ElasticTransform.kernel(170.8));
        for (double v : f) {
            assertEquals(0.25, v, 1e-15);
        }
        // and on a line of 3 with radius 1 the mirrored edge is counted twice: (a a b), (a b c), (b c c)
        double[] g = {0, 3, 6};
        double[] w = ElasticTransform.kernel(0.4); // radius (int)(1.2 + 0.5) = 1
        ElasticTransform.smoothAxis(g, 3, 1, 1, 3, w);
        assertEquals(w[2] * 3, g[0], 1e-15);
        assertEquals(3, g[1], 1e-15);
        assertEquals(w[0] * 3 + w[1] * 6 + w[2] * 6, g[2], 1e-15);
    }
}
