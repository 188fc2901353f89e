package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both branches of spatter, and the image operations of its liquid branch. */
class SpatterTest {
    @Test
    void bothBranchesRunOnColourAndGray() {
        Spatter s = new Spatter();
        for (int ch : new int[] {1, 3}) {
            for (int side : new int[] {32, 96}) {
                Tensor x = CorruptionDigest.images(2, ch, side, side, 5);
                for (Spatter.Branch b : Spatter.Branch.values()) {
                    Spatter.Params p = new Spatter.Params(0.65, 0.3, side / 32.0, 0.68, b == Spatter.Branch.MUD ? 0.6 : 0.6, b);
                    Tensor y = s.apply(x, p, 1, 0);
                    assertFalse(Arrays.equals(x.data(), y.data()), b + " changed nothing on " + x.shape());
                    if (b == Spatter.Branch.LIQUID) {
                        // water only adds
                        for (int i = 0; i < y.size(); i++) {
                            assertTrue(y.data()[i] >= x.data()[i], "liquid darkened pixel " + i);
                        }
                    }
                }
            }
        }
        assertEquals(Spatter.Branch.LIQUID, s.parameters(1, 32, 32).branch());
        assertEquals(Spatter.Branch.MUD, s.parameters(5, 224, 224).branch());
    }

    @Test
    void cannyFindsAStepEdgeOnePixelWide() {
        int h = 8;
        int w = 10;
        float[] x = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 5; c < w; c++) {
                x[r * w + c] = 200;
            }
        }
        float[] e = Canny.edges(x, h, w, 50, 150);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                // |dx| is 800 at columns 4 and 5; the suppression keeps the first (greater than the left, at least the right)
                assertEquals(c == 4 ? 255f : 0f, e[r * w + c], "row " + r + " column " + c);
            }
        }
        assertArrayEquals(new float[h * w], Canny.edges(new float[h * w], h, w, 50, 150));
    }

    @Test
    void distanceTransformIsTheBruteForceEuclideanDistance() {
        SplittableRandom rng = new SplittableRandom(4);
        int h = 9;
        int w = 13;
        float[] x = new float[h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(12) == 0 ? 0 : 255;
        }
        double[] d = DistanceTransform.euclidean(x, h, w);
        for (int i = 0; i < x.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < x.length; j++) {
                if (x[j] == 0) {
                    best = Math.min(best, Math.hypot(i / w - j / w, i % w - j % w));
                }
            }
            assertEquals(best, d[i], 1e-9, "pixel " + i);
        }
        Arrays.fill(x, 255);
        assertEquals(Double.POSITIVE_INFINITY, DistanceTransform.euclidean(x, h, w)[3]);
    }

    @Test
    void equalizeHistStretchesTheCumulativeCounts() {
        // counts: 3 at 10, 1 at 20, 2 at 30, 2 at 40: scale 255 / (8 - 3); lut 20 -> 51, 30 -> 153, 40 -> 255
        float[] x = {10, 10, 10, 20, 30, 30, 40, 40};
        assertArrayEquals(new float[] {0, 0, 0, 51, 153, 153, 255, 255}, Spatter.equalizeHist(x));
        float[] flat = {7, 7, 7};
        assertArrayEquals(flat, Spatter.equalizeHist(flat));
    }
}
