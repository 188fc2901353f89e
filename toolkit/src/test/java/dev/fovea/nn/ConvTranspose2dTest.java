package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.kernels.Reference;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConvTranspose2d} against the direct scatter definition (PyTorch semantics: weight {@code [Cin,Cout,K,K]},
 * output {@code (H-1)*S-2P+K}), and as the adjoint of {@link Conv2d} sharing its weight array.
 */
class ConvTranspose2dTest {
    private static final double TOL = 1e-5;

    @ParameterizedTest(name = "Cin={0} Cout={1} K={2} S={3} P={4} H={5} W={6} N={7}")
    @CsvSource({
            "1,1,3,1,0,2,2,1",
            "3,2,3,2,1,4,5,2",
            "2,4,4,2,1,3,3,2",
            "2,3,5,2,2,4,4,1",
            "3,3,3,3,0,3,2,2",
            "4,2,2,2,0,5,3,2",
            "8,16,3,1,1,6,6,2"})
    void forwardAndBackwardMatchReference(int cin, int cout, int k, int s, int p, int h, int w, int n) {
        ConvTranspose2d deconv = new ConvTranspose2d(cin, cout, k, s, p, true);
        GradCheck.randomizeAll(deconv, -0.5, 0.5, 1);
        Param weight = deconv.params().get(0);
        Param bias = deconv.params().get(1);
        Tensor x = GradCheck.uniform(Shape.of(n, cin, h, w), -1, 1, 2);
        String what = deconv.describe() + " on " + x.shape();

        Tensor y = deconv.forward(x, true);
        Shape outShape = Shape.of(n, cout, (h - 1) * s - 2 * p + k, (w - 1) * s - 2 * p + k);
        assertEquals(outShape, y.shape(), what + ": output shape (H-1)*S-2P+K");
        ArrayAssert.assertClose(what + " forward", Reference.convTranspose2d(x, weight.value(), bias.value(), s, p),
                y.data(), outShape, TOL);

        Tensor g = GradCheck.uniform(outShape, -1, 1, 3);
        Tensor dx = deconv.backward(g);
        ArrayAssert.assertClose(what + " dX", Reference.convTranspose2dInputGrad(g, weight.value(), x.shape(), s, p),
                dx.data(), x.shape(), TOL);
        ArrayAssert.assertClose(what + " dW", Reference.convTranspose2dWeightGrad(x, g, k, s, p),
                weight.grad().data(), weight.value().shape(), TOL);
        ArrayAssert.assertClose(what + " db", Reference.conv2dBiasGrad(g), bias.grad().data(), TOL);
    }

    /**
     * {@code <conv(x; w), y> == <x, convT(y; w)>}: a {@code Conv2d(C, O)} weight {@code [O,C,K,K]} is, as the
     * same array, a {@code ConvTranspose2d(O, C)} weight {@code [Cin=O, Cout=C, K, K]}.
     */
    @ParameterizedTest(name = "C={0} O={1} K={2} S={3} P={4} H={5} W={6}")
    @CsvSource({"2,3,3,1,1,6,5", "3,2,3,2,1,7,9", "1,2,4,2,1,8,6", "2,2,5,3,2,7,10", "4,4,1,1,0,3,3", "3,5,3,2,0,9,7"})
    void isTheAdjointOfConv2d(int c, int o, int k, int s, int p, int h, int w) {
        Conv2d conv = new Conv2d(c, o, k, s, p, false);
        ConvTranspose2d deconv = new ConvTranspose2d(o, c, k, s, p, false);
        GradCheck.randomize(conv.weight(), -1, 1, 4);
        System.arraycopy(conv.weight().value().data(), 0, deconv.weight().value().data(), 0, conv.weight().value().size());

        Tensor x = GradCheck.uniform(Shape.of(2, c, h, w), -1, 1, 5);
        Tensor cx = conv.forward(x, false);
        Tensor y = GradCheck.uniform(cx.shape(), -1, 1, 6);
        Tensor ty = deconv.forward(y, false);
        assertEquals(x.shape(), ty.shape(), "test setup: (OH-1)*S-2P+K must give back H");

        double lhs = Reference.dot(cx.data(), y.data());
        double rhs = Reference.dot(x.data(), ty.data());
        double rel = Math.abs(lhs - rhs) / Math.max(Math.abs(lhs), Math.abs(rhs));
        assertTrue(rel < 1e-5, "<conv(x), y> = " + lhs + " but <x, convT(y)> = " + rhs + " (relative " + rel + ")");
    }
}
