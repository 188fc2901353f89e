package dev.fovea.model;

import dev.fovea.nn.Conv2d;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineClassifierTest {
    private static EngineClassifier model(String arch, int batch) {
        Network n = ArchitectureTest.net(arch, 13);
        n.forward(Tensor.uniform(Shape.of(8, 1, 28, 28), 0, 1, 3), true);
        return new EngineClassifier(n, batch);
    }

    private static final Tensor X = Tensor.uniform(Shape.of(5, 1, 28, 28), 0, 1, 17);
    private static final int[] Y = {0, 3, 9, 1, 1};

    @Test
    void resultsDoNotDependOnTheChunkSize() {
        for (String arch : new String[] {"convnet", "resnet8"}) {
            Classifier a = model(arch, 1);
            Classifier b = model(arch, 2);
            Classifier c = model(arch, 64);
            assertArrayEquals(a.logits(X).data(), c.logits(X).data(), arch);
            Classifier.Gradient ga = a.gradient(X, Objective.crossEntropy(Y));
            Classifier.Gradient gb = b.gradient(X, Objective.crossEntropy(Y));
            Classifier.Gradient gc = c.gradient(X, Objective.crossEntropy(Y));
            assertArrayEquals(ga.gradient().data(), gc.gradient().data(), arch);
            assertArrayEquals(gb.gradient().data(), gc.gradient().data(), arch);
            assertArrayEquals(ga.values(), gc.values(), arch);
            String layer = arch.equals("convnet") ? "3" : "5.body.0";
            assertArrayEquals(a.activations(X, layer).data(), c.activations(X, layer).data(), arch);
            assertArrayEquals(a.layerGradient(X, layer, Objective.logit(Y)).gradient().data(),
                    c.layerGradient(X, layer, Objective.logit(Y)).gradient().data(), arch);
        }
    }

    @Test
    void theInputIsNeverChanged() {
        Classifier m = model("convnet", 2);
        Tensor before = X.copy();
        m.logits(X);
        m.gradient(X, Objective.margin(Y));
        m.gradient(X, Objective.channelMean("6", 2));
        m.layerGradient(X, "6", Objective.logit(Y));
        assertArrayEquals(before.data(), X.data());
    }

    @Test
    void crossEntropyGradientIsTheNetworksBackward() {
        EngineClassifier m = model("lenet5", 8);
        Network n = m.network();
        Tensor logits = n.forward(X, false);
        Tensor g = n.backward(Objective.crossEntropy(Y).evaluate(logits).gradient());
        assertArrayEquals(g.data(), m.gradient(X, Objective.crossEntropy(Y)).gradient().data());
    }

    /** A layer objective's input gradient against central differences, on the smooth LeNet-5. */
    @Test
    void layerObjectiveGradientMatchesCentralDifferences() {
        EngineClassifier m = model("lenet5", 8);
        Tensor x = X.slice(0, 1);
        Objective o = Objective.channelMean("3", 5);
        Tensor g = m.gradient(x, o).gradient();
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 20; t++) {
            int i = r.nextInt(x.size());
            double h = 1e-2;
            Tensor p = x.copy();
            Tensor q = x.copy();
            p.data()[i] += (float) h;
            q.data()[i] -= (float) h;
            double num = (m.gradient(p, o).values()[0] - m.gradient(q, o).values()[0]) / ((double) p.data()[i] - q.data()[i]);
            double ana = g.data()[i];
            assertTrue(Math.abs(ana - num) <= 2e-2 * (Math.abs(ana) + Math.abs(num)) + 1e-5, "pixel " + i + ": " + ana + " vs " + num);
        }
    }

    /** The gradient at the first convolution, pushed back through that convolution, is the input gradient. */
    @Test
    void layerGradientChainsToTheInputGradient() {
        EngineClassifier m = model("lenet5", 8);
        Classifier.LayerGradient lg = m.layerGradient(X, "0", Objective.logit(Y));
        Conv2d conv = (Conv2d) m.network().root().layers().get(0);
        float mean = m.network().info().mean()[0];
        float std = m.network().info().std()[0];
        Tensor norm = X.copy();
        for (int i = 0; i < norm.size(); i++) {
            norm.data()[i] = (norm.data()[i] - mean) / std;
        }
        Tensor act = conv.forward(norm, false);
        assertArrayEquals(act.data(), lg.activations().data(), 1e-5f);
        Tensor back = conv.backward(lg.gradient());
        Tensor g = m.gradient(X, Objective.logit(Y)).gradient();
        for (int i = 0; i < g.size(); i++) {
            assertEquals(back.data()[i] / std, g.data()[i], 1e-5 + 1e-4 * Math.abs(g.data()[i]), "pixel " + i);
        }
        assertArrayEquals(m.logits(X).data(), m.layerGradient(X, "11", Objective.logit(Y)).activations().data());
    }

    @Test
    void unknownLayerListsTheLayers() {
        Classifier m = model("lenet5", 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.activations(X, "conv9"));
        assertTrue(e.getMessage().contains("unknown layer 'conv9'") && e.getMessage().contains("0, 1, 2"), e.getMessage());
    }

    @Test
    void badInputIsRefused() {
        Classifier m = model("lenet5", 8);
        assertThrows(IllegalArgumentException.class, () -> m.logits(Tensor.zeros(Shape.of(1, 3, 28, 28))));
        Tensor nan = X.copy();
        nan.data()[5] = Float.NaN;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> m.logits(nan)).getMessage().contains("NaN"));
    }
}
