package dev.fovea.kernels;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The naive reference against central differences in double precision. Convolution is linear in the input and
 * in the weights, and every value here is a multiple of 1/64, so with a step of 1 the differences are exact: the
 * reference gradients must match to rounding of double sums.
 */
class ReferenceTest {
    private static final double TOL = 1e-12;

    /** Values {@code k/64} in {@code [-1, 1]}: exactly representable, and so are {@code v +- 1} and their products. */
    static Tensor dyadic(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(-64, 65) / 64f;
        }
        return new Tensor(shape, d);
    }

    /** Central difference with step 1 of {@code f} with respect to each entry of {@code t} (restored afterwards). */
    static double[] centralDifferences(Tensor t, ToDoubleFunction<Tensor> f) {
        float[] d = t.data();
        double[] out = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            float orig = d[i];
            d[i] = orig + 1f;
            double plus = f.applyAsDouble(t);
            d[i] = orig - 1f;
            double minus = f.applyAsDouble(t);
            d[i] = orig;
            out[i] = (plus - minus) / 2;
        }
        return out;
    }

    @ParameterizedTest(name = "N={0} C={1} O={2} K={3} S={4} P={5} H={6} W={7}")
    @CsvSource({"2,2,3,3,1,1,5,6", "1,3,2,3,2,2,7,7", "2,1,2,2,3,0,7,8", "1,2,2,5,2,2,6,5"})
    void conv2dGradientsMatchCentralDifferences(int n, int c, int o, int k, int s, int p, int h, int w) {
        Tensor x = dyadic(Shape.of(n, c, h, w), 1);
        Tensor wt = dyadic(Shape.of(o, c, k, k), 2);
        Tensor b = dyadic(Shape.of(o), 3);
        int oh = Reference.outSize(h, k, s, p);
        int ow = Reference.outSize(w, k, s, p);
        Tensor g = dyadic(Shape.of(n, o, oh, ow), 4);

        ToDoubleFunction<Tensor> lossOfX = xx -> Reference.dot(Reference.conv2d(xx, wt, b, s, p), g.data());
        ToDoubleFunction<Tensor> lossOfW = ww -> Reference.dot(Reference.conv2d(x, ww, b, s, p), g.data());
        ToDoubleFunction<Tensor> lossOfB = bb -> Reference.dot(Reference.conv2d(x, wt, bb, s, p), g.data());

        ArrayAssert.assertClose("reference conv2d dx", centralDifferences(x, lossOfX),
                Reference.conv2dInputGrad(g, wt, x.shape(), s, p), x.shape(), TOL);
        ArrayAssert.assertClose("reference conv2d dw", centralDifferences(wt, lossOfW),
                Reference.conv2dWeightGrad(x, g, k, s, p), wt.shape(), TOL);
        ArrayAssert.assertClose("reference conv2d db", centralDifferences(b, lossOfB),
                Reference.conv2dBiasGrad(g), b.shape(), TOL);
    }

    @ParameterizedTest(name = "N={0} C={1} O={2} K={3} S={4} P={5} H={6} W={7}")
    @CsvSource({"2,2,3,3,1,1,3,4", "1,3,2,3,2,1,3,3", "2,1,2,4,2,1,2,3", "1,2,2,5,3,2,3,2"})
    void convTranspose2dGradientsMatchCentralDifferences(int n, int c, int o, int k, int s, int p, int h, int w) {
        Tensor x = dyadic(Shape.of(n, c, h, w), 5);
        Tensor wt = dyadic(Shape.of(c, o, k, k), 6);
        int oh = (h - 1) * s - 2 * p + k;
        int ow = (w - 1) * s - 2 * p + k;
        Tensor g = dyadic(Shape.of(n, o, oh, ow), 7);

        ToDoubleFunction<Tensor> lossOfX = xx -> Reference.dot(Reference.convTranspose2d(xx, wt, null, s, p), g.data());
        ToDoubleFunction<Tensor> lossOfW = ww -> Reference.dot(Reference.convTranspose2d(x, ww, null, s, p), g.data());

        ArrayAssert.assertClose("reference conv_transpose2d dx", centralDifferences(x, lossOfX),
                Reference.convTranspose2dInputGrad(g, wt, x.shape(), s, p), x.shape(), TOL);
        ArrayAssert.assertClose("reference conv_transpose2d dw", centralDifferences(wt, lossOfW),
                Reference.convTranspose2dWeightGrad(x, g, k, s, p), wt.shape(), TOL);
    }

    /** The option-A shortcut is linear in its input: the reference gradient must equal the differences exactly. */
    @ParameterizedTest(name = "N={0} C={1} P={2} S={3} H={4} W={5}")
    @CsvSource({"2,2,1,2,5,6", "1,3,0,1,4,4", "2,1,2,3,7,8", "1,2,3,2,4,3"})
    void subsamplePadGradientMatchesCentralDifferences(int n, int c, int p, int s, int h, int w) {
        Tensor x = dyadic(Shape.of(n, c, h, w), 11);
        Tensor g = dyadic(Shape.of(n, c + 2 * p, (h + s - 1) / s, (w + s - 1) / s), 12);
        ToDoubleFunction<Tensor> lossOfX = xx -> Reference.dot(Reference.subsamplePad(xx, s, p), g.data());
        ArrayAssert.assertClose("reference subsample_pad dx", centralDifferences(x, lossOfX),
                Reference.subsamplePadInputGrad(g, x.shape(), s, p), x.shape(), TOL);
    }

    /**
     * Transposed convolution is the adjoint of convolution with the same weight array: a {@code [O,C,K,K]} conv
     * weight read as {@code [Cin=O, Cout=C, K, K]}. Checked exactly on the references themselves.
     */
    @ParameterizedTest(name = "C={0} O={1} K={2} S={3} P={4} H={5}")
    @CsvSource({"2,3,3,1,1,6", "3,2,3,2,1,7", "1,2,4,2,1,8", "2,2,5,3,2,7"})
    void referenceConvTransposeIsAdjointOfReferenceConv(int c, int o, int k, int s, int p, int h) {
        Tensor x = dyadic(Shape.of(2, c, h, h), 8);
        Tensor w = dyadic(Shape.of(o, c, k, k), 9);
        int oh = Reference.outSize(h, k, s, p);
        Tensor y = dyadic(Shape.of(2, o, oh, oh), 10);
        assertEquals(h, (oh - 1) * s - 2 * p + k, "test setup: the transposed output must have the conv input's size");
        double lhs = Reference.dot(Reference.conv2d(x, w, null, s, p), y.data());
        double rhs = Reference.dot(Reference.convTranspose2d(y, w, null, s, p), x.data());
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }
}
