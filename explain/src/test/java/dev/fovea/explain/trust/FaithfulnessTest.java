package dev.fovea.explain.trust;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionOptions;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Infidelity and max-sensitivity: their defining properties (the exact gradient of a linear score is perfectly
 * faithful; a map that does not move with the input is insensitive) and the golden values of
 * {@code fixtures/make_perturbation_golden.py} on the golden LeNet-5 with the script's perturbations; the top-k
 * intersection and the fragility check.
 */
class FaithfulnessTest {
    static final Path DIR = FixturePaths.fixture("golden", "explain-perturbation", "lenet5");

    static Classifier linear() throws IOException {
        Architecture arch = Architecture.fromJson(new ObjectMapper().readTree(
                "{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}"), "tiny");
        return new EngineClassifier(Network.create(arch, Shape.of(2, 5, 5), List.of("a", "b", "c"), new float[] {0.5f, 0.5f},
                new float[] {0.25f, 0.5f}, 4), 64);
    }

    /** A map of ones whatever the input. */
    static final class Ones extends Attribution {
        @Override
        public String name() {
            return "ones-test";
        }

        @Override
        public String describe() {
            return "ones";
        }

        @Override
        public boolean signed() {
            return false;
        }

        @Override
        public Kind kind() {
            return Kind.PIXEL;
        }

        @Override
        protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
            return new AttributionResult(Tensor.full(kind().shape(x.shape()), 1f), new double[x.dim(0)], null, null);
        }
    }

    @Test
    void theGradientOfALinearScoreHasNoInfidelity() throws IOException {
        Classifier lin = linear();
        Tensor x = Tensor.uniform(Shape.of(3, 2, 5, 5), 0.1f, 0.9f, 2);
        int[] t = {0, 1, 2};
        Tensor g = lin.gradient(x, Objective.logit(t)).gradient();
        for (double sigma : new double[] {Infidelity.DEFAULT_SIGMA, 0.1}) {
            double[] exact = Infidelity.of(lin, x, g, t, ExplainConfig.Score.LOGIT, sigma, 10, false, 1, 4);
            Tensor doubled = g.copy();
            for (int j = 0; j < doubled.size(); j++) {
                doubled.data()[j] *= 2;
            }
            double[] twice = Infidelity.of(lin, x, doubled, t, ExplainConfig.Score.LOGIT, sigma, 10, false, 1, 4);
            double[] scaled = Infidelity.of(lin, x, doubled, t, ExplainConfig.Score.LOGIT, sigma, 10, true, 1, 4);
            for (int i = 0; i < 3; i++) {
                assertTrue(exact[i] < 1e-6 * twice[i] + 1e-12, "sigma " + sigma + ": exact " + exact[i] + " against doubled " + twice[i]);
                assertTrue(twice[i] > 0, "twice the gradient is unfaithful");
                assertTrue(scaled[i] < 1e-6 * twice[i] + 1e-12, "normalised, twice the gradient is as faithful: " + scaled[i]);
            }
        }
        assertArrayEquals(Infidelity.of(lin, x, g, t, ExplainConfig.Score.LOGIT, 0.1, 7, false, 5, 3),
                Infidelity.of(lin, x, g, t, ExplainConfig.Score.LOGIT, 0.1, 7, false, 5, 64), "the chunk size does not matter");
    }

    @Test
    void aMapThatDoesNotMoveHasNoSensitivity() throws IOException {
        Classifier lin = linear();
        Tensor x = Tensor.uniform(Shape.of(3, 2, 5, 5), 0.1f, 0.9f, 2);
        int[] t = {0, 1, 2};
        ExplainConfig none = ExplainConfig.of(AttributionOptions.NONE);
        assertArrayEquals(new double[3], MaxSensitivity.of(lin, new Ones(), none, x, t, 0.05, 10, 3));
        assertArrayEquals(new double[3], MaxSensitivity.of(lin, Explainers.named("saliency"), none, x, t, 0.05, 10, 3), 1e-6,
                "saliency of a linear model is its constant gradient");
        double[] moving = MaxSensitivity.of(lin, Explainers.named("gradient-x-input"), none, x, t, 0.05, 10, 3);
        for (double v : moving) {
            assertTrue(v > 0 && v < 0.5, "gradient x input moves with the input: " + v);
        }
    }

    @Test
    void infidelityAndSensitivityMatchTheScript() throws IOException {
        Path src = FixturePaths.fixture("golden", "lenet5");
        Classifier m = new EngineClassifier(ModelFile.load(src.resolve("lenet5.fovea")), 3);
        Tensor x = Npy.read(src.resolve("x.npy")).toTensor().slice(0, 4);
        var y = Npy.read(src.resolve("y.npy"));
        int[] t = new int[4];
        for (int i = 0; i < 4; i++) {
            t[i] = (int) (y.longs() != null ? y.longs()[i] : y.floats()[i]);
        }
        Attribution saliency = Explainers.named("saliency");
        ExplainConfig cfg = ExplainConfig.of(AttributionOptions.NONE);
        Tensor maps = saliency.attribute(m, x, t, cfg).maps();
        Infidelity.Noise noise = file("infidelity_noise.npy");
        assertClose(Npy.read(DIR.resolve("infidelity_saliency.npy")).toTensor(),
                Infidelity.of(m, x, maps, t, ExplainConfig.Score.LOGIT, 5, false, 2, noise), "infidelity");
        assertClose(Npy.read(DIR.resolve("infidelity_saliency_normalized.npy")).toTensor(),
                Infidelity.of(m, x, maps, t, ExplainConfig.Score.LOGIT, 5, true, 2, noise), "infidelity, normalised");
        assertClose(Npy.read(DIR.resolve("sensitivity_saliency.npy")).toTensor(),
                MaxSensitivity.of(m, saliency, cfg, x, t, 5, file("sensitivity_noise.npy")), "max-sensitivity");
    }

    static Infidelity.Noise file(String name) throws IOException {
        Tensor e = Npy.read(DIR.resolve(name)).toTensor();
        int k = e.dim(1);
        int per = e.shape().sizeFrom(2);
        return (i, s, dst, off, n) -> System.arraycopy(e.data(), (i * k + s) * per, dst, off, n);
    }

    static void assertClose(Tensor golden, double[] got, String what) {
        double max = 0;
        for (float v : golden.data()) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < got.length; i++) {
            assertEquals(golden.data()[i], got[i], 1e-3 * max + 1e-6, what + " of sample " + i);
        }
    }

    @Test
    void topKIntersectionCountsSharedTopPixels() {
        float[] a = {5, 4, 3, 2, 1, 0};
        float[] b = {0, 4, 3, 5, 1, 2};
        assertEquals(2 / 3.0, Fragility.topKIntersection(a, b, 3), 1e-12);
        assertEquals(1, Fragility.topKIntersection(a, a, 2));
        assertEquals(1, Fragility.topKIntersection(a, b, 6));
        assertThrows(IllegalArgumentException.class, () -> Fragility.topKIntersection(a, b, 0));
    }

    @Test
    void fragilityIsOneForTheSameImageAndLeavesOutChangedPredictions() throws IOException {
        Classifier lin = linear();
        Tensor x = Tensor.uniform(Shape.of(4, 2, 5, 5), 0.1f, 0.9f, 2);
        int[] pred = lin.predict(x);
        List<Attribution> methods = List.of(Explainers.named("gradient-x-input"), Explainers.named("saliency"));
        Fragility.Result same = Fragility.run(lin, methods, a -> ExplainConfig.of(AttributionOptions.NONE), x, x.copy(), pred, 0.2);
        assertEquals(4, same.keptCount());
        assertEquals(5, same.k());
        for (int j = 0; j < 2; j++) {
            assertEquals(1, Fragility.Result.mean(same.spearman(), j), 1e-9);
            assertEquals(1, Fragility.Result.mean(same.topK(), j), 1e-9);
        }
        Tensor far = Tensor.uniform(x.shape(), 0f, 1f, 99);
        Fragility.Result moved = Fragility.run(lin, methods, a -> ExplainConfig.of(AttributionOptions.NONE), x, far, pred, 0.2);
        int[] after = lin.predict(far);
        for (int i = 0; i < 4; i++) {
            assertEquals(pred[i] == after[i], moved.kept()[i]);
            assertEquals(!moved.kept()[i], Double.isNaN(moved.spearman()[0][i]), "left out exactly when the prediction changed");
        }
        assertThrows(IllegalArgumentException.class, () -> Fragility.run(lin, methods, a -> ExplainConfig.of(AttributionOptions.NONE), x, x, pred, 0));
    }
}
