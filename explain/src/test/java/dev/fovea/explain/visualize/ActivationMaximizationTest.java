package dev.fovea.explain.visualize;

import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Objective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activation maximisation on the bundled LeNet-5: it raises the objective a lot, stays in the box, and a seed fixes it. */
class ActivationMaximizationTest {
    static Classifier model;

    @BeforeAll
    static void load() throws IOException {
        model = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 64);
    }

    private static ActivationMaximization.Config config(Parameterization p, long seed) {
        ActivationMaximization.Config d = ActivationMaximization.Config.defaults();
        return new ActivationMaximization.Config(48, d.learningRate(), p, d.decay(), d.start(), d.l2(), d.tv(), d.jitter(), d.scale(), d.rotate(),
                d.blurEvery(), d.blurSigma(), seed);
    }

    @Test
    void raisesClassLogitsFarAboveTheStartAndStaysInTheBox() {
        for (Parameterization p : Parameterization.values()) {
            ActivationMaximization.Result r = new ActivationMaximization(config(p, 1)).run(model, Objective.logit(new int[] {1, 7}), 2, null);
            for (int i = 0; i < 2; i++) {
                assertTrue(r.values()[i] > r.initial()[i] + 8, p + " sample " + i + ": " + r.initial()[i] + " -> " + r.values()[i]);
            }
            for (float v : r.images().data()) {
                assertTrue(v >= 0 && v <= 1, p + ": pixel " + v + " outside [0,1]");
            }
            int[] pred = model.predict(r.images());
            assertArrayEquals(new int[] {1, 7}, pred, p + ": the images are classified as the classes they were made for");
        }
    }

    @Test
    void raisesAChannelOfAnInnerLayer() {
        String layer = model.layers().get(0);
        ActivationMaximization.Config d = ActivationMaximization.Config.defaults();
        ActivationMaximization.Config c = new ActivationMaximization.Config(48, d.learningRate(), Parameterization.PIXELS, d.decay(), 0.5, 0, 0,
                d.jitter(), d.scale(), d.rotate(), 0, 0, 2);
        ActivationMaximization.Result r = new ActivationMaximization(c).run(model, Objective.channelMean(layer, 3), 1, null);
        assertTrue(r.values()[0] > r.initial()[0] + 0.5,
                layer + " channel 3: " + r.initial()[0] + " -> " + r.values()[0]);
    }

    @Test
    void theSeedFixesTheResult() {
        Objective o = Objective.logit(new int[] {3});
        ActivationMaximization.Config c = config(Parameterization.FOURIER, 5).withSteps(12);
        float[] a = new ActivationMaximization(c).run(model, o, 1, null).images().data();
        float[] b = new ActivationMaximization(c).run(model, o, 1, null).images().data();
        float[] other = new ActivationMaximization(c.withSeed(6)).run(model, o, 1, null).images().data();
        assertArrayEquals(a, b, "same seed, same images");
        assertFalse(java.util.Arrays.equals(a, other), "another seed, other images");
    }

    @Test
    void resultsDoNotDependOnTheBatchSizeAndTheStartImageIsLeftAlone() throws IOException {
        Classifier small = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 1);
        dev.fovea.tensor.Tensor start = dev.fovea.tensor.Tensor.uniform(model.inputShape(), 0.1f, 0.6f, 9);
        dev.fovea.tensor.Tensor before = start.copy();
        Objective o = Objective.logit(new int[] {2, 5, 8});
        ActivationMaximization am = new ActivationMaximization(config(Parameterization.PIXELS, 4).withSteps(10));
        float[] a = am.run(model, o, 3, start, null).images().data();
        float[] b = am.run(small, o, 3, start, null).images().data();
        assertArrayEquals(a, b, "batch size 64 and 1");
        assertArrayEquals(before.data(), start.data(), "start image untouched");
    }

    @Test
    void rejectsBadOptions() {
        ActivationMaximization.Config d = ActivationMaximization.Config.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withSteps(0));
        assertThrows(IllegalArgumentException.class, () -> new ActivationMaximization.Config(10, -1, Parameterization.PIXELS, 1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActivationMaximization.Config(10, 0.1, Parameterization.PIXELS, 1, 0.5, -0.1, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActivationMaximization.Config(10, 0.1, Parameterization.PIXELS, 1, 0.5, 0, 0, 0, 1.5, 0, 0, 0, 0));
    }
}
