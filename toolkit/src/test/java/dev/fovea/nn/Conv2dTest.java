package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.kernels.Reference;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Conv2d} against the direct-loop convolution of {@link Reference}: stride 1 (padded image read in place,
 * input gradient through the flipped kernel or col2im) and other strides (phase planes of the padded image read in
 * place, the input gradient one direct convolution per phase; strides above the kernel leave phases without
 * gradient), small layers by slices and large ones image by image, batches cut into uneven slices.
 */
class Conv2dTest {
    private static final double TOL = 1e-5;

    @ParameterizedTest(name = "Cin={0} Cout={1} K={2} S={3} P={4} H={5} W={6} N={7}")
    @CsvSource({
            "1,1,3,1,0,5,5,1",
            "3,4,3,1,1,8,8,2",
            "2,5,3,2,0,9,9,3",
            "3,2,5,2,2,11,10,2",
            "4,3,1,1,0,4,6,2",
            "2,3,4,2,1,9,8,1",
            "3,6,3,3,2,10,10,2",
            "2,2,3,2,2,3,3,2",
            "16,8,3,1,1,12,12,2",
            "8,5,5,1,2,9,7,17",
            "2,3,3,1,3,5,5,2",
            "9,4,3,1,0,10,10,2",
            "1,32,3,1,1,28,28,3",
            "16,32,3,2,1,32,32,5",
            "4,6,3,2,1,15,13,3",
            "5,4,3,3,0,14,11,2",
            "3,4,2,3,0,10,10,2",
            "6,5,1,2,0,9,8,3",
            "3,8,7,2,3,40,38,2",
            "32,16,1,2,0,33,31,4",
            "8,8,3,2,0,20,20,4",
            "16,8,3,2,1,64,62,2",
            "3,16,7,2,3,70,66,1",
            "128,8,1,2,0,80,79,1"})
    void forwardAndBackwardMatchReference(int cin, int cout, int k, int s, int p, int h, int w, int n) {
        Conv2d conv = new Conv2d(cin, cout, k, s, p, true);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 1);
        Tensor x = GradCheck.uniform(Shape.of(n, cin, h, w), -1, 1, 2);
        String what = conv.describe() + " on " + x.shape();

        Tensor y = conv.forward(x, true);
        Shape outShape = Shape.of(n, cout, Reference.outSize(h, k, s, p), Reference.outSize(w, k, s, p));
        assertEquals(outShape, y.shape(), what + ": output shape");
        ArrayAssert.assertClose(what + " forward", Reference.conv2d(x, conv.weight().value(), conv.bias().value(), s, p),
                y.data(), outShape, TOL);

        Tensor g = GradCheck.uniform(outShape, -1, 1, 3);
        Tensor dx = conv.backward(g);
        ArrayAssert.assertClose(what + " dX", Reference.conv2dInputGrad(g, conv.weight().value(), x.shape(), s, p),
                dx.data(), x.shape(), TOL);
        ArrayAssert.assertClose(what + " dW", Reference.conv2dWeightGrad(x, g, k, s, p),
                conv.weight().grad().data(), conv.weight().value().shape(), TOL);
        ArrayAssert.assertClose(what + " db", Reference.conv2dBiasGrad(g), conv.bias().grad().data(), TOL);
    }

    /** Without an input gradient wanted (the first layer of a training step) the parameters' gradients are the same. */
    @Test
    void skippingTheInputGradientKeepsTheParameterGradients() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1, true);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 4);
        Tensor x = GradCheck.uniform(Shape.of(5, 3, 7, 7), -1, 1, 5);
        Tensor g = GradCheck.uniform(Shape.of(5, 4, 7, 7), -1, 1, 6);
        conv.forward(x, true);
        conv.backward(g);
        float[] dw = conv.weight().grad().data().clone();
        float[] db = conv.bias().grad().data().clone();
        java.util.Arrays.fill(conv.weight().grad().data(), 0f);
        java.util.Arrays.fill(conv.bias().grad().data(), 0f);
        conv.setInputGradientNeeded(false);
        conv.forward(x, true);
        assertEquals(null, conv.backward(g), "no input gradient when none is needed");
        org.junit.jupiter.api.Assertions.assertArrayEquals(dw, conv.weight().grad().data());
        org.junit.jupiter.api.Assertions.assertArrayEquals(db, conv.bias().grad().data());
    }

    /** The same layer on a batch gives, sample by sample, what it gives on each sample alone. */
    @Test
    void batchSamplesAreIndependent() {
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1, true);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 7);
        Tensor x = GradCheck.uniform(Shape.of(3, 3, 6, 6), -1, 1, 8);
        float[] batch = conv.forward(x, false).data();
        int per = batch.length / 3;
        for (int i = 0; i < 3; i++) {
            float[] alone = conv.forward(x.slice(i, i + 1), false).data();
            double[] expected = new double[per];
            for (int j = 0; j < per; j++) {
                expected[j] = alone[j];
            }
            float[] part = java.util.Arrays.copyOfRange(batch, i * per, (i + 1) * per);
            ArrayAssert.assertClose("conv2d sample " + i + " in a batch vs alone", expected, part, 1e-6);
        }
    }
}
