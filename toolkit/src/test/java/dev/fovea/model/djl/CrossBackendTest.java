package dev.fovea.model.djl;

import ai.djl.Device;
import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same weights in the own engine and on libtorch give the same logits, input gradients for every objective,
 * activations and layer gradients: relative error {@code max|a-b| / max|b|} below 1e-4.
 */
class CrossBackendTest {
    static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.data()[i]));
            diff = Math.max(diff, Math.abs(expected.data()[i] - actual.data()[i]));
        }
        assertTrue(diff <= 1e-4 * scale + 1e-12, what + ": relative error " + diff / scale);
    }

    static void assertClose(double[] expected, double[] actual, String what) {
        assertClose(Tensor.of(toFloat(expected), expected.length), Tensor.of(toFloat(actual), actual.length), what);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * A residual network with He et al.'s parameter-free shortcuts (option A, {@code subsample_pad}) on odd-sized
     * 3-channel input, so the subsampled map has a ragged edge: 15x15 -> 8x8 -> 4x4.
     */
    static final String OPTION_A = """
            {"name": "option-a", "layers": [
             {"type": "conv2d", "out_channels": 4, "kernel": 3, "padding": 1, "bias": false}, {"type": "batchnorm2d"}, {"type": "relu"},
             {"type": "residual", "body": [{"type": "conv2d", "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1, "bias": false},
               {"type": "batchnorm2d"}, {"type": "relu"}, {"type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "bias": false},
               {"type": "batchnorm2d"}], "shortcut": [{"type": "subsample_pad", "out_channels": 8, "stride": 2}]},
             {"type": "relu"},
             {"type": "residual", "body": [{"type": "conv2d", "out_channels": 12, "kernel": 3, "stride": 2, "padding": 1}],
               "shortcut": [{"type": "subsample_pad", "out_channels": 12, "stride": 2}]},
             {"type": "relu"}, {"type": "global_avgpool"}, {"type": "linear", "out_features": "classes"}]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "convnet", "resnet8", "option-a"})
    void ownEngineAndLibtorchAgree(String arch) throws IOException {
        boolean optionA = arch.equals("option-a");
        Architecture spec = optionA ? Architecture.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(OPTION_A), arch)
                : Architecture.named(arch);
        Shape in = optionA ? Shape.of(3, 15, 15) : Shape.of(1, 28, 28);
        float[] mean = optionA ? new float[] {0.485f, 0.456f, 0.406f} : new float[] {0.286f};
        float[] std = optionA ? new float[] {0.229f, 0.224f, 0.225f} : new float[] {0.353f};
        Network net = Network.create(spec, in, TEN, mean, std, 31);
        net.forward(Tensor.uniform(in.withBatch(16), 0, 1, 2), true);
        Tensor x = Tensor.uniform(in.withBatch(6), 0, 1, 3);
        int[] y = {0, 1, 2, 3, 4, 5};
        String layer = switch (arch) {
            case "lenet5" -> "3";
            case "convnet" -> "10";
            case "option-a" -> "3.shortcut.0";
            default -> "5.body.3";
        };
        Classifier own = new EngineClassifier(net, 4);
        try (Classifier lt = new LibtorchNetwork(net, Device.cpu(), 4)) {
            assertEquals(own.layers(), lt.layers());
            assertClose(own.logits(x), lt.logits(x), arch + " logits");
            for (Objective o : List.of(Objective.crossEntropy(y), Objective.logit(y), Objective.margin(y), Objective.dlr(y),
                    Objective.channelMean(layer, 1))) {
                Classifier.Gradient a = own.gradient(x, o);
                Classifier.Gradient b = lt.gradient(x, o);
                assertClose(a.values(), b.values(), arch + " " + o + " values");
                assertClose(a.gradient(), b.gradient(), arch + " " + o + " input gradient");
            }
            assertClose(own.activations(x, layer), lt.activations(x, layer), arch + " activations of " + layer);
            Classifier.LayerGradient la = own.layerGradient(x, layer, Objective.logit(y));
            Classifier.LayerGradient lb = lt.layerGradient(x, layer, Objective.logit(y));
            assertClose(la.activations(), lb.activations(), arch + " layer-gradient activations");
            assertClose(la.gradient(), lb.gradient(), arch + " gradient at " + layer);
        }
    }
}
