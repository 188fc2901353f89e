package dev.fovea.explain.visualize;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transforms activation maximisation differentiates through are checked by the dot-product test
 * {@code <T x, y> == <x, T^T y>}, and the Fourier parameterisation's gradient against central differences.
 */
class TransformAdjointTest {
    private static Tensor random(Shape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (2 * r.nextDouble() - 1);
        }
        return new Tensor(s, d);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    @Test
    void warpAdjointPassesTheDotProductTest() {
        Shape s = Shape.of(3, 2, 11, 9);
        Warp w = Warp.of(s, new double[] {0, 2, -1.5}, new double[] {0, -3, 0.25}, new double[] {1, 1.1, 0.85},
                new double[] {0, 17, -33});
        for (long seed = 1; seed <= 3; seed++) {
            Tensor x = random(s, seed);
            Tensor y = random(s, seed + 100);
            double lhs = dot(w.apply(x), y);
            double rhs = dot(x, w.adjoint(y));
            assertEquals(lhs, rhs, 1e-4 * (Math.abs(lhs) + 1), "<Tx,y> vs <x,T^T y>");
        }
    }

    @Test
    void integerJitterMovesPixelsExactly() {
        Shape s = Shape.of(1, 1, 5, 5);
        Tensor x = random(s, 7);
        Tensor y = Warp.of(s, new double[] {1}, new double[] {2}, new double[] {1}, new double[] {0}).apply(x);
        assertEquals(x.get(0, 0, 1, 1), y.get(0, 0, 2, 3), 1e-6);
        assertEquals(0f, y.get(0, 0, 0, 0), "zeros come in at the border");
        Tensor id = Warp.identity(s).apply(x);
        assertEquals(0, dot(diff(id, x), diff(id, x)), 1e-12, "identity");
    }

    private static Tensor diff(Tensor a, Tensor b) {
        float[] d = new float[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.data()[i] - b.data()[i];
        }
        return new Tensor(a.shape(), d);
    }

    @Test
    void fourierAdjointPassesTheDotProductTest() {
        Shape img = Shape.of(2, 1, 7, 6);
        FourierImage f = FourierImage.of(img, 1.0);
        Tensor p = random(FourierImage.parameterShape(img), 3);
        Tensor y = random(img, 4);
        double lhs = dot(f.apply(p), y);
        double rhs = dot(p, f.adjoint(y));
        assertEquals(lhs, rhs, 1e-4 * (Math.abs(lhs) + 1));
    }

    @Test
    void fourierParameterizationGradientMatchesCentralDifferences() {
        Shape img = Shape.of(1, 1, 6, 5);
        Tensor c = random(img, 11);
        Tensor p = random(FourierImage.parameterShape(img), 12);
        double decay = 1.0;
        Tensor x = Parameterization.FOURIER.image(p, img, decay, 0.3);
        Tensor g = Parameterization.FOURIER.backward(x, c, p.shape(), decay);
        double h = 1e-2;
        for (int i = 0; i < p.size(); i++) {
            float[] plus = p.data().clone();
            float[] minus = p.data().clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double fp = dot(Parameterization.FOURIER.image(new Tensor(p.shape(), plus), img, decay, 0.3), c);
            double fm = dot(Parameterization.FOURIER.image(new Tensor(p.shape(), minus), img, decay, 0.3), c);
            double numeric = (fp - fm) / (2 * h);
            double analytic = g.data()[i];
            double rel = Math.abs(analytic - numeric) / (Math.abs(analytic) + Math.abs(numeric) + 1e-6);
            assertTrue(rel < 2e-3 || Math.abs(analytic - numeric) < 1e-5, "parameter " + i + ": analytic " + analytic + " numeric " + numeric);
        }
    }

    @Test
    void fourierBlurIsAGaussianOnThePlanes() {
        Shape img = Shape.of(1, 1, 8, 8);
        FourierImage f = FourierImage.of(img, 0.0);
        Tensor p = random(FourierImage.parameterShape(img), 5);
        Tensor blurred = f.apply(f.blur(p, 1.0));
        Tensor plain = f.apply(p);
        double mean0 = 0;
        double mean1 = 0;
        for (int i = 0; i < plain.size(); i++) {
            mean0 += plain.data()[i];
            mean1 += blurred.data()[i];
        }
        assertEquals(mean0, mean1, 1e-4, "blurring keeps the mean");
        assertTrue(tv(blurred) < 0.5 * tv(plain), "blurring smooths: " + tv(blurred) + " vs " + tv(plain));
    }

    private static double tv(Tensor t) {
        double s = 0;
        for (int i = 0; i + 1 < t.size(); i++) {
            s += Math.abs(t.data()[i + 1] - t.data()[i]);
        }
        return s;
    }
}
