package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Golden values worked by hand in the lecture notes ({@code /work/shared/lectures}). */
class LectureExamplesTest {
    /** 003, "2D convolution": the 5x5 input of the worked example. */
    private static final float[] INPUT = {
            3, 3, 2, 1, 0,
            0, 0, 1, 3, 1,
            3, 1, 2, 2, 3,
            2, 0, 0, 2, 2,
            2, 0, 0, 0, 1};
    /** 003: {@code w = [[0,1,2],[2,2,0],[0,1,2]]}. */
    private static final float[] KERNEL = {
            0, 1, 2,
            2, 2, 0,
            0, 1, 2};

    private static Conv2d lectureConv() {
        Conv2d conv = new Conv2d(1, 1, 3, 1, 0, false);
        System.arraycopy(KERNEL, 0, conv.weight().value().data(), 0, 9);
        return conv;
    }

    @Test
    void workedConvolutionExample() {
        Tensor y = lectureConv().forward(Tensor.of(INPUT.clone(), 1, 1, 5, 5), false);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        assertArrayEquals(new float[] {
                12, 12, 17,
                10, 17, 19,
                9, 6, 14}, y.data());
    }

    /** 003, "Pooling and downsampling": 2x2 max pooling with stride 2. */
    @Test
    void maxPoolingExampleAndItsGradientRouting() {
        float[] in = {
                29, 15, 28, 184,
                0, 100, 70, 38,
                12, 12, 7, 2,
                12, 12, 45, 6};
        MaxPool2d pool = new MaxPool2d(2, 2, 0);
        Tensor y = pool.forward(Tensor.of(in, 1, 1, 4, 4), false);
        assertArrayEquals(new float[] {100, 184, 12, 45}, y.data());

        Tensor dx = pool.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        // Each gradient goes to its window's maximum only; the bottom-left window is a four-way tie of 12s and,
        // as in PyTorch, the first one (row-major) wins.
        assertArrayEquals(new float[] {
                0, 0, 0, 2,
                0, 1, 0, 0,
                3, 0, 0, 0,
                0, 0, 4, 0}, dx.data());
    }

    /**
     * 003: 2x2 average pooling of the same matrix with 31 in the corner. The notes print the top-left mean,
     * (31 + 15 + 0 + 100) / 4 = 36.5, rounded down to 36; the others are exact.
     */
    @Test
    void averagePoolingExample() {
        float[] in = {
                31, 15, 28, 184,
                0, 100, 70, 38,
                12, 12, 7, 2,
                12, 12, 45, 6};
        Tensor y = new AvgPool2d(2, 2, 0).forward(Tensor.of(in, 1, 1, 4, 4), false);
        assertArrayEquals(new float[] {36.5f, 80, 12, 15}, y.data());
    }

    /** 002: 28x28x3 input, kernel 5, stride 2, padding 2: (28 - 5 + 2*2)/2 + 1 = 14, with 20 filters 14x14x20. */
    @Test
    void outputSizeFormula() {
        Conv2d conv = new Conv2d(3, 20, 5, 2, 2, true);
        assertEquals(Shape.of(1, 20, 14, 14), conv.outputShape(Shape.of(1, 3, 28, 28)));
        assertEquals(Shape.of(7, 12, 20, 20), new Conv2d(3, 12, 9, 1, 0, true).outputShape(Shape.of(7, 3, 28, 28)),
                "002: 12 kernels giving 20x20x12 on a 28x28x3 input (a 9x9 kernel, stride 1, no padding)");
    }

    /**
     * Weight sharing: the kernel is used at every output position, so its gradient is the sum over positions of
     * each position's own contribution. A one-hot upstream gradient {@code g[i,j] e_(i,j)} isolates position
     * {@code (i,j)}, whose contribution is {@code g[i,j]} times the input patch it saw.
     */
    @Test
    void weightGradientIsTheSumOverPositions() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, true);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 1);
        Tensor x = GradCheck.uniform(Shape.of(1, 2, 7, 7), -1, 1, 2);
        Shape out = conv.outputShape(x.shape());
        Tensor g = GradCheck.uniform(out, -1, 1, 3);
        int oh = out.dim(2), ow = out.dim(3);

        double[] summed = new double[conv.weight().value().size()];
        double[] summedBias = new double[3];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Tensor oneHot = Tensor.zeros(out);
                    float gv = g.get(0, o, i, j);
                    oneHot.set(gv, 0, o, i, j);
                    conv.weight().zeroGrad();
                    conv.bias().zeroGrad();
                    conv.forward(x, true);
                    conv.backward(oneHot);
                    float[] dw = conv.weight().grad().data();
                    double[] patch = new double[dw.length];
                    for (int c = 0; c < 2; c++) {
                        for (int u = 0; u < 3; u++) {
                            for (int v = 0; v < 3; v++) {
                                int y = i * 2 - 1 + u, xx = j * 2 - 1 + v;
                                float xv = y >= 0 && y < 7 && xx >= 0 && xx < 7 ? x.get(0, c, y, xx) : 0f;
                                patch[((o * 2 + c) * 3 + u) * 3 + v] = (double) gv * xv;
                            }
                        }
                    }
                    ArrayAssert.assertClose("conv2d dW of output position (" + o + "," + i + "," + j + ")",
                            patch, dw, conv.weight().value().shape(), 1e-6);
                    for (int k = 0; k < dw.length; k++) {
                        summed[k] += dw[k];
                    }
                    summedBias[o] += conv.bias().grad().data()[o];
                }
            }
        }
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        conv.forward(x, true);
        conv.backward(g);
        ArrayAssert.assertClose("conv2d dW: full gradient vs sum over positions", summed, conv.weight().grad().data(),
                conv.weight().value().shape(), 1e-5);
        ArrayAssert.assertClose("conv2d db: full gradient vs sum over positions", summedBias, conv.bias().grad().data(), 1e-5);
    }
}
