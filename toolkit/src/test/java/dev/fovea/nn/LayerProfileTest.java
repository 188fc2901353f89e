package dev.fovea.nn;

import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.model.Architecture;
import dev.fovea.model.Network;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LayerProfile}: the kinds layers count under, and operation counts that add up to the network's. */
class LayerProfileTest {
    private static final Shape CIFAR = Shape.of(3, 32, 32);

    private static Network resnet20() {
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return Network.create(Architecture.named("resnet20"), CIFAR, classes, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}, 3);
    }

    @Test
    void kindsOfLayers() {
        assertEquals(LayerProfile.Kind.DIRECT_CONV, LayerProfile.kind(new Conv2d(3, 8, 3, 1, 1, false)));
        assertEquals(LayerProfile.Kind.STRIDED_CONV, LayerProfile.kind(new Conv2d(3, 8, 3, 2, 1, false)));
        assertEquals(LayerProfile.Kind.POINTWISE_CONV, LayerProfile.kind(new Conv2d(3, 8, 1, 2, 0, false)));
        assertEquals(LayerProfile.Kind.LINEAR, LayerProfile.kind(new Linear(4, 2, true)));
        assertEquals(LayerProfile.Kind.POOLING, LayerProfile.kind(new MaxPool2d(2, 2, 0)));
        assertEquals(LayerProfile.Kind.POOLING, LayerProfile.kind(new GlobalAvgPool()));
        assertEquals(LayerProfile.Kind.BATCH_NORM, LayerProfile.kind(new BatchNorm.BatchNorm2d(8)));
        assertEquals(LayerProfile.Kind.ELEMENT_WISE, LayerProfile.kind(new Activation.ReLU()));
    }

    /** An inference pass counts 2 operations per multiply-add of the network, each convolution once (folded ones too). */
    @Test
    void inferenceCountsTheNetworksMultiplyAdds() {
        Network net = resnet20();
        int n = 3;
        Tensor x = Tensor.uniform(CIFAR.withBatch(n), 0, 1, 1);
        LayerProfile p = LayerProfile.during(() -> net.frozen(() -> net.forward(x, false)));
        double matmul = p.flops(LayerProfile.Kind.DIRECT_CONV) + p.flops(LayerProfile.Kind.STRIDED_CONV) + p.flops(LayerProfile.Kind.LINEAR);
        assertEquals(2.0 * net.root().macs(CIFAR.withBatch(1)) * n, matmul, 1e-6 * matmul);
        assertEquals(19, p.calls(LayerProfile.Kind.DIRECT_CONV) + p.calls(LayerProfile.Kind.STRIDED_CONV), "ResNet-20's 19 convolutions");
        assertEquals(2, p.calls(LayerProfile.Kind.STRIDED_CONV), "one strided convolution opens stages 2 and 3");
        assertEquals(2, p.calls(LayerProfile.Kind.ELEMENT_WISE),
                "the 9 blocks' sums (with the ReLU after each) run in their last convolution's pass; the 2 subsampling shortcuts remain: " + p);
        assertEquals(1, p.calls(LayerProfile.Kind.POOLING));
        assertEquals(0, p.calls(LayerProfile.Kind.BATCH_NORM), "every batch norm folded into its convolution: " + p);
        assertTrue(p.seconds() > 0);
    }

    /** A training step counts each convolution's forward pass, its weight gradient and (but for the first) its input gradient. */
    @Test
    void trainingCountsBothGradients() {
        Network net = resnet20();
        int n = 2;
        Tensor x = Tensor.uniform(CIFAR.withBatch(n), 0, 1, 2);
        int[] y = {1, 2};
        LayerProfile p = LayerProfile.during(() -> net.backwardParams(SoftmaxCrossEntropy.compute(net.forward(x, true), y).gradient()));
        Conv2d first = (Conv2d) net.root().layers().get(0);
        double firstMacs = first.macs(CIFAR.withBatch(1)) * (double) n;
        double all = 2.0 * net.root().macs(CIFAR.withBatch(1)) * n;
        double matmul = p.flops(LayerProfile.Kind.DIRECT_CONV) + p.flops(LayerProfile.Kind.STRIDED_CONV) + p.flops(LayerProfile.Kind.LINEAR);
        assertEquals(3 * all - 2 * firstMacs, matmul, 1e-6 * matmul, "forward, weight and input gradients, less the first layer's input gradient");
        assertNotEquals(0, p.calls(LayerProfile.Kind.BATCH_NORM));
    }

    @Test
    void nothingIsCountedOnceStopped() {
        Network net = resnet20();
        LayerProfile p = LayerProfile.start();
        LayerProfile.stop(p);
        assertNull(LayerProfile.current());
        net.forward(Tensor.uniform(CIFAR.withBatch(1), 0, 1, 3), false);
        assertEquals(0, p.seconds());
    }
}
