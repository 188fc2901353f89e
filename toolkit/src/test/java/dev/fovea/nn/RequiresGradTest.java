package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parameters that do not require gradients keep theirs untouched, and the input gradient is the same (up to rounding). */
class RequiresGradTest {
    @Test
    void frozenParametersKeepTheirGradientsAndTheInputGradientIsUnchanged() {
        Sequential net = new Sequential(List.of(new Conv2d(2, 3, 3, 1, 1, true), new BatchNorm.BatchNorm2d(3), new Activation.Tanh(),
                new ConvTranspose2d(3, 2, 2, 2, 0, true), new Flatten(), new Linear(2 * 10 * 10, 4, true)));
        GradCheck.randomizeAll(net, -0.5, 0.5, 3);
        Tensor x = GradCheck.uniform(Shape.of(2, 2, 5, 5), -1, 1, 4);
        Tensor seed = GradCheck.uniform(Shape.of(2, 4), -1, 1, 5);
        net.forward(x, false);
        Tensor dxTrained = net.backward(seed);
        List<Param> params = StateDictAccess.params(net);
        float[][] before = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            before[i] = params.get(i).grad().data().clone();
            params.get(i).setRequiresGrad(false);
        }
        net.forward(x, false);
        Tensor dxFrozen = net.backward(seed);
        // frozen, the convolution and batch norm run folded (FoldedConvTest): the same gradient up to rounding
        double[] expected = new double[dxTrained.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = dxTrained.data()[i];
        }
        dev.fovea.kernels.ArrayAssert.assertClose("input gradient with frozen parameters", expected, dxFrozen.data(), x.shape(), 1e-5);
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(before[i], params.get(i).grad().data(), "gradient of frozen parameter " + i + " changed");
        }
        assertEquals(8, params.size(), "conv, batch norm, transposed conv and linear: weight and bias each");
    }

    /** Every parameter of a layer tree, children first visited in order. */
    private static final class StateDictAccess {
        static List<Param> params(Layer l) {
            java.util.ArrayList<Param> out = new java.util.ArrayList<>(l.params());
            for (Layer.Child c : l.children()) {
                out.addAll(params(c.layer()));
            }
            return out;
        }
    }
}
