package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link Layer#backward} adds to {@link Param#grad()} rather than overwriting it, so gradients sum over
 * mini-batches until {@link Param#zeroGrad()}: two identical passes give twice the gradient of one.
 */
class GradientAccumulationTest {
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("conv2d", (Supplier<Layer>) () -> new Conv2d(2, 3, 3, 2, 1, true), Shape.of(2, 2, 7, 7)),
                Arguments.of("conv_transpose2d", (Supplier<Layer>) () -> new ConvTranspose2d(2, 3, 3, 2, 1, true), Shape.of(2, 2, 4, 4)),
                Arguments.of("linear", (Supplier<Layer>) () -> new Linear(5, 4, true), Shape.of(3, 5)),
                Arguments.of("batchnorm2d", (Supplier<Layer>) () -> new BatchNorm.BatchNorm2d(2), Shape.of(3, 2, 3, 3)),
                Arguments.of("batchnorm1d", (Supplier<Layer>) () -> new BatchNorm.BatchNorm1d(4), Shape.of(5, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void secondBackwardAddsToTheFirst(String name, Supplier<Layer> make, Shape in) {
        Layer layer = make.get();
        GradCheck.randomizeAll(layer, -0.5, 0.5, 1);
        Tensor x = GradCheck.uniform(in, -1, 1, 2);
        Tensor g = GradCheck.uniform(layer.outputShape(in), -1, 1, 3);
        List<Param> params = layer.params();
        params.forEach(Param::zeroGrad);
        layer.forward(x, true);
        layer.backward(g);
        List<float[]> once = params.stream().map(p -> p.grad().data().clone()).toList();
        layer.forward(x, true);
        layer.backward(g);
        for (int i = 0; i < params.size(); i++) {
            double[] twice = new double[once.get(i).length];
            for (int j = 0; j < twice.length; j++) {
                twice[j] = 2.0 * once.get(i)[j];
            }
            ArrayAssert.assertClose(name + " " + params.get(i).name() + " grad after two backward passes", twice,
                    params.get(i).grad().data(), params.get(i).value().shape(), 1e-6);
        }
    }
}
