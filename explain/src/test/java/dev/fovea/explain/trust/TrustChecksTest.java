package dev.fovea.explain.trust;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.AttributionOptions;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust checks on the bundled LeNet-5: the randomisation check tells a map that depends on the weights from
 * one that does not, and a real attribution's deletion curve falls faster than a random ranking's.
 */
class TrustChecksTest {
    static Network net;
    static Classifier model;
    static Dataset data;

    @BeforeAll
    static void load() throws IOException {
        net = ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea"));
        model = new EngineClassifier(net, 64);
        data = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(32);
    }

    /** A fake method that ignores the model: the map is the input itself, an edge-detector stand-in. */
    static final class InputItself extends Attribution {
        @Override
        public String name() {
            return "input-itself";
        }

        @Override
        public String describe() {
            return "the input, whatever the model";
        }

        @Override
        public boolean signed() {
            return false;
        }

        @Override
        public Kind kind() {
            return Kind.INPUT;
        }

        @Override
        protected AttributionResult compute(Classifier m, Tensor x, int[] targets, ExplainConfig cfg) {
            return new AttributionResult(x.copy(), new double[x.dim(0)], null, null);
        }
    }

    @Test
    void randomisationTellsARealMapFromOneThatIgnoresTheWeights() throws IOException {
        Tensor x = data.images().slice(0, 6);
        int[] y = java.util.Arrays.copyOf(data.labels(), 6);
        Tensor before = x.copy();
        ModelRandomization.Result r = ModelRandomization.run(net, n -> new EngineClassifier(n, 64),
                List.of(Explainers.named("gradient-x-input"), new InputItself()), ExplainConfig::defaults, x, y, 1, null);
        assertArrayEquals(before.data(), x.data(), "input untouched");
        assertEquals(ModelRandomization.parameterLayers(net).size(), r.layers().size());
        assertEquals(List.copyOf(r.layers()).get(0), ModelRandomization.parameterLayers(net).get(r.layers().size() - 1), "top layer first");
        int last = r.layers().size() - 1;
        for (int s = 0; s <= last; s++) {
            assertEquals(1.0, ModelRandomization.Result.mean(r.spearmanAbs(), 1, s), 1e-9, "the fake's maps stay perfectly correlated");
            assertEquals(1.0, ModelRandomization.Result.mean(r.ssim(), 1, s), 1e-9);
        }
        double real = ModelRandomization.Result.mean(r.spearmanSigned(), 0, last);
        double realAbs = ModelRandomization.Result.mean(r.spearmanAbs(), 0, last);
        double realSsim = ModelRandomization.Result.mean(r.ssim(), 0, last);
        assertTrue(real < 0.5, "gradient x input, signed rank correlation after full randomisation: " + real);
        // |gradient x input| keeps the input's zeros, so its rank correlation falls less (Adebayo et al. note the same).
        assertTrue(realAbs < 0.97 && realSsim < 0.9, "gradient x input, |map| rank correlation " + realAbs + ", SSIM " + realSsim);
        double first = ModelRandomization.Result.mean(r.spearmanSigned(), 0, 0);
        assertTrue(first > real, "correlation falls along the cascade: " + first + " then " + real);
    }

    @Test
    void networkIsCopiedNotChanged() throws IOException {
        Tensor x = data.images().slice(0, 2);
        float[] before = model.logits(x).data().clone();
        ModelRandomization.run(net, n -> new EngineClassifier(n, 64), List.of(Explainers.named("saliency")), ExplainConfig::defaults, x,
                new int[] {0, 1}, 3, null);
        assertArrayEquals(before, model.logits(x).data(), "the trained network is left as it was");
    }

    @Test
    void realAttributionDeletesFasterThanARandomRanking() {
        Tensor x = data.images();
        int[] pred = model.predict(x);
        Tensor maps = Explainers.named("gradient-x-input").attribute(model, x, pred, ExplainConfig.of(AttributionOptions.NONE)).maps();
        Tensor before = x.copy();
        DeletionCurve.Result real = DeletionCurve.run(model, x, maps, pred, DeletionCurve.Mode.DELETION, DeletionCurve.Canvas.BLACK, 28);
        DeletionCurve.Result random = DeletionCurve.run(model, x, DeletionCurve.randomMaps(x, 7), pred, DeletionCurve.Mode.DELETION,
                DeletionCurve.Canvas.BLACK, 28);
        assertArrayEquals(before.data(), x.data(), "input untouched");
        assertTrue(real.meanAuc() < random.meanAuc() - 0.1, "deletion AUC: gradient x input " + real.meanAuc() + ", random " + random.meanAuc());
        DeletionCurve.Result ins = DeletionCurve.run(model, x, maps, pred, DeletionCurve.Mode.INSERTION, DeletionCurve.Canvas.BLUR, 28);
        DeletionCurve.Result insRandom = DeletionCurve.run(model, x, DeletionCurve.randomMaps(x, 7), pred, DeletionCurve.Mode.INSERTION,
                DeletionCurve.Canvas.BLUR, 28);
        assertTrue(ins.meanAuc() > insRandom.meanAuc(), "insertion AUC: gradient x input " + ins.meanAuc() + ", random " + insRandom.meanAuc());
        for (int i = 0; i < x.dim(0); i++) {
            assertEquals(0.0, real.fractions()[0]);
            assertEquals(1.0, real.fractions()[real.fractions().length - 1]);
            assertTrue(real.auc()[i] >= 0 && real.auc()[i] <= 1);
        }
    }

    @Test
    void deletionCurveIsBatchSizeInvariantAndChecksShapes() {
        Tensor x = data.images().slice(0, 3);
        int[] t = {0, 1, 2};
        Tensor maps = DeletionCurve.randomMaps(x, 1);
        double[] a = DeletionCurve.run(new EngineClassifier(net, 5), x, maps, t, DeletionCurve.Mode.DELETION, DeletionCurve.Canvas.BLACK, 10).auc();
        double[] b = DeletionCurve.run(new EngineClassifier(net, 64), x, maps, t, DeletionCurve.Mode.DELETION, DeletionCurve.Canvas.BLACK, 10).auc();
        assertArrayEquals(a, b, 1e-9);
        assertThrows(IllegalArgumentException.class, () -> DeletionCurve.run(model, x, maps.slice(0, 2), t, DeletionCurve.Mode.DELETION,
                DeletionCurve.Canvas.BLACK, 10));
        assertThrows(IllegalArgumentException.class, () -> DeletionCurve.run(model, x, maps, t, DeletionCurve.Mode.DELETION,
                DeletionCurve.Canvas.BLACK, 0));
    }

    @Test
    void similarityMeasures() {
        float[] a = {1, 2, 3, 4};
        assertEquals(1.0, Similarity.spearman(a, new float[] {10, 20, 30, 400}), 1e-12);
        assertEquals(-1.0, Similarity.spearman(a, new float[] {4, 3, 2, 1}), 1e-12);
        assertEquals(0.0, Similarity.spearman(a, new float[] {5, 5, 5, 5}), 1e-12);
        float[] img = new float[64];
        for (int i = 0; i < 64; i++) {
            img[i] = (i * 37 % 64) / 64f;
        }
        assertEquals(1.0, Similarity.ssim(img, img, 8, 8), 1e-9);
        float[] inv = new float[64];
        for (int i = 0; i < 64; i++) {
            inv[i] = 1 - img[i];
        }
        assertTrue(Similarity.ssim(img, inv, 8, 8) < 0);
    }
}
