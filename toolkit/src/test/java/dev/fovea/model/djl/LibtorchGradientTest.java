package dev.fovea.model.djl;

import ai.djl.Device;
import dev.fovea.model.Classifier;
import dev.fovea.model.Network;
import dev.fovea.model.NetworkGradientTest;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libtorch's input gradients against central differences of its own logits, as {@code NetworkGradientTest} does
 * for the own engine (on the smooth variants of the architectures, for the reason given there), and its results
 * against the chunk size.
 */
class LibtorchGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "convnet", "resnet8"})
    void directionalDerivativesMatchCentralDifferences(String arch) throws IOException {
        Network net = NetworkGradientTest.smooth(arch, 21);
        net.forward(Tensor.uniform(Shape.of(8, 1, 28, 28), 0, 1, 3), true);
        Tensor x = Tensor.uniform(Shape.of(2, 1, 28, 28), 0.05f, 0.95f, 4);
        int[] y = {3, 7};
        try (Classifier lt = new LibtorchNetwork(net, Device.cpu(), 8)) {
            Objective o = Objective.crossEntropy(y);
            Tensor grad = lt.gradient(x, o).gradient();
            for (int dir = 0; dir < 3; dir++) {
                Tensor d = Tensor.uniform(x.shape(), -1, 1, 200 + dir);
                double ana = 0;
                for (int i = 0; i < x.size(); i++) {
                    ana += (double) grad.data()[i] * d.data()[i];
                }
                double best = Double.POSITIVE_INFINITY;
                for (double h : new double[] {1e-2, 3e-3, 1e-3}) {
                    double num = (loss(lt, o, x, d, h) - loss(lt, o, x, d, -h)) / (2 * h);
                    best = Math.min(best, Math.abs(ana - num) / (Math.abs(ana) + Math.abs(num) + 1e-6));
                }
                assertTrue(best < 1e-2, arch + " direction " + dir + ": relative error " + best);
            }
        }
    }

    private static double loss(Classifier c, Objective o, Tensor x, Tensor d, double h) {
        Tensor p = x.copy();
        for (int i = 0; i < p.size(); i++) {
            p.data()[i] += (float) (h * d.data()[i]);
        }
        double s = 0;
        for (double v : c.gradient(p, o).values()) {
            s += v;
        }
        return s;
    }

    @Test
    void resultsDoNotDependOnTheChunkSize() throws IOException {
        Network net = NetworkGradientTest.smooth("convnet", 5);
        Tensor x = Tensor.uniform(Shape.of(5, 1, 28, 28), 0, 1, 6);
        int[] y = {0, 1, 2, 3, 4};
        try (Classifier a = new LibtorchNetwork(net, Device.cpu(), 1); Classifier b = new LibtorchNetwork(net, Device.cpu(), 5)) {
            CrossBackendTest.assertClose(a.logits(x), b.logits(x), "logits");
            CrossBackendTest.assertClose(a.gradient(x, Objective.margin(y)).gradient(), b.gradient(x, Objective.margin(y)).gradient(), "gradient");
        }
    }
}
