package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient with respect to the input pixels of whole networks, normalisation included, against central
 * differences of {@code L = <logits(x), g>} in double. Evaluation mode, as attacks and attributions use it.
 *
 * <p>A ReLU network is piecewise linear with so many pieces that a step along a random direction small enough
 * to stay inside one is lost in float32 rounding (convnet crosses some twenty kinks at {@code h = 1e-4}). So
 * the whole-network checks run on the same architectures with ReLU made smooth (tanh) and max pooling made
 * average pooling: every other layer and the composition are exactly those of the real networks, and ReLU and
 * max pooling have their own checks in {@code LayerGradientTest}.
 */
public class NetworkGradientTest {
    /**
     * Directional derivatives along random directions: {@code (L(x + h d) - L(x - h d)) / 2h} against
     * {@code <grad, d>}. Summing over every pixel makes the derivative large against float32 rounding, so this
     * holds to 1e-2 on every architecture; the per-pixel check below is for the smooth ones.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet5", "convnet", "resnet8"})
    void directionalDerivativesMatchCentralDifferences(String arch) throws Exception {
        Network net = smooth(arch, 21);
        // Non-trivial running statistics, so evaluation mode is not the identity.
        net.forward(Tensor.uniform(Shape.of(8, 1, 28, 28), 0, 1, 3), true);
        Tensor x = Tensor.uniform(Shape.of(2, 1, 28, 28), 0.05f, 0.95f, 4);
        Tensor g = Tensor.uniform(Shape.of(2, 10), -1, 1, 5);
        Tensor before = x.copy();
        net.forward(x, false);
        Tensor grad = net.backward(g);
        assertArrayEquals(before.data(), x.data(), "the input is never mutated");
        for (int dir = 0; dir < 4; dir++) {
            Tensor d = Tensor.uniform(x.shape(), -1, 1, 100 + dir);
            double ana = 0;
            for (int i = 0; i < x.size(); i++) {
                ana += (double) grad.data()[i] * d.data()[i];
            }
            // The best of three steps must agree: curvature favours the small ones, float32 rounding the large.
            double best = Double.POSITIVE_INFINITY;
            StringBuilder tried = new StringBuilder();
            for (double h : new double[] {1e-2, 3e-3, 1e-3}) {
                double num = (loss(net, x, g, d, h) - loss(net, x, g, d, -h)) / (2 * h);
                double err = Math.abs(ana - num) / (Math.abs(ana) + Math.abs(num) + 1e-6);
                best = Math.min(best, err);
                tried.append(String.format(" h=%g: numeric %.6g (error %.3g);", h, num, err));
            }
            assertTrue(best < 1e-2, arch + " direction " + dir + ": analytic " + ana + "," + tried);
        }
    }

    /** Single pixels of the smooth networks (tanh and average pooling: no kinks inside a step). */
    @org.junit.jupiter.api.Test
    void lenet5PixelGradientsMatchCentralDifferences() {
        Network net = ArchitectureTest.net("lenet5", 21);
        Tensor x = Tensor.uniform(Shape.of(2, 1, 28, 28), 0.05f, 0.95f, 4);
        Tensor g = Tensor.uniform(Shape.of(2, 10), -1, 1, 5);
        net.forward(x, false);
        Tensor grad = net.backward(g);
        SplittableRandom r = new SplittableRandom(6);
        for (int t = 0; t < 40; t++) {
            int i = r.nextInt(x.size());
            Tensor d = Tensor.zeros(x.shape());
            d.data()[i] = 1;
            double h = 1e-2;
            double num = (loss(net, x, g, d, h) - loss(net, x, g, d, -h)) / (2 * h);
            double ana = grad.data()[i];
            double err = Math.abs(ana - num) / (Math.abs(ana) + Math.abs(num) + 1e-6);
            assertTrue(err < 2e-2 || Math.abs(ana - num) < 1e-4, "pixel " + i + ": analytic " + ana + ", numeric " + num);
        }
    }

    /** The built-in architecture with relu replaced by tanh and max pooling by average pooling. */
    public static Network smooth(String arch, long seed) throws java.io.IOException {
        String json = Architecture.named(arch).toJson().toString()
                .replace("\"relu\"", "\"tanh\"").replace("\"maxpool2d\"", "\"avgpool2d\"");
        Architecture a = Architecture.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), arch + "-smooth");
        return Network.create(a, ArchitectureTest.MNIST, ArchitectureTest.TEN, new float[] {0.5f}, new float[] {0.25f}, seed);
    }

    private static double loss(Network net, Tensor x, Tensor g, Tensor d, double h) {
        Tensor xp = x.copy();
        for (int i = 0; i < xp.size(); i++) {
            xp.data()[i] += (float) (h * d.data()[i]);
        }
        float[] y = net.forward(xp, false).data();
        double s = 0;
        for (int k = 0; k < y.length; k++) {
            s += (double) y[k] * g.data()[k];
        }
        return s;
    }

}
