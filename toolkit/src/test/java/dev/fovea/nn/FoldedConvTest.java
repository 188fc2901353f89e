package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * In evaluation mode with every parameter frozen, convolution, batch norm and ReLU run as one folded pass; its
 * outputs and input gradients agree with the layers run one by one, and a tap on a layer keeps them apart.
 */
class FoldedConvTest {
    private static Sequential net(long seed) {
        Conv2d c1 = new Conv2d(3, 8, 3, 1, 1, true);
        BatchNorm.BatchNorm2d b1 = new BatchNorm.BatchNorm2d(8);
        Conv2d c2 = new Conv2d(8, 6, 3, 1, 1, false);
        BatchNorm.BatchNorm2d b2 = new BatchNorm.BatchNorm2d(6);
        Conv2d c3 = new Conv2d(6, 4, 3, 2, 1, true);
        BatchNorm.BatchNorm2d b3 = new BatchNorm.BatchNorm2d(4);
        Sequential s = new Sequential(List.of(c1, b1, new Activation.ReLU(), c2, b2, c3, b3));
        GradCheck.randomizeAll(s, -0.5, 0.5, seed);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (BatchNorm b : List.of(b1, b2, b3)) {
            for (int c = 0; c < b.channels(); c++) {
                b.runningMean()[c] = (float) (r.nextDouble() - 0.5);
                b.runningVar()[c] = (float) (0.2 + r.nextDouble());
            }
        }
        return s;
    }

    private static void freeze(Sequential s, boolean frozen) {
        for (var e : dev.fovea.model.StateDict.params(s)) {
            e.getValue().setRequiresGrad(!frozen);
        }
    }

    @Test
    void foldedPassesMatchTheLayersOneByOne() {
        Sequential s = net(3);
        Tensor x = GradCheck.uniform(Shape.of(5, 3, 9, 9), -1, 1, 4);
        Tensor y = s.forward(x, false);
        Tensor g = GradCheck.uniform(y.shape(), -1, 1, 5);
        float[] plain = y.data().clone();
        float[] plainDx = s.backward(g).data().clone();

        freeze(s, true);
        Tensor yf = s.forward(x, false);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(plain, yf.data()),
                "the folded pass rounds differently somewhere: it did run");
        ArrayAssert.assertClose("folded forward", toDouble(plain), yf.data(), y.shape(), 1e-5);
        Tensor dxf = s.backward(g);
        assertNotNull(dxf);
        ArrayAssert.assertClose("folded input gradient", toDouble(plainDx), dxf.data(), x.shape(), 1e-5);
    }

    @Test
    void aTapKeepsTheLayersApart() {
        Sequential s = net(7);
        Tensor x = GradCheck.uniform(Shape.of(2, 3, 9, 9), -1, 1, 8);
        float[] plain = s.forward(x, false).data().clone();
        freeze(s, true);
        Tensor[] seen = new Tensor[1];
        s.layers().get(1).setTaps(t -> seen[0] = t, null);
        float[] tapped = s.forward(x, false).data();
        assertNotNull(seen[0], "the tap on the batch norm saw its output");
        ArrayAssert.assertClose("with a tap on the first batch norm", toDouble(plain), tapped, Shape.of(plain.length), 1e-5);
        s.layers().get(1).setTaps(null, null);
        float[] untapped = s.forward(x, false).data().clone();
        freeze(s, false);
        s.layers().get(0).setTaps(t -> seen[0] = t, null);
        freeze(s, true);
        // the first block folds only without the tap: the results differ in their last bits
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(untapped, s.forward(x, false).data()),
                "a tap on the convolution must keep its block apart");
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
