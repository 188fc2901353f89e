package dev.fovea.explain;

import dev.fovea.data.DataSpec;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the methods with per-layer backward rules and of the Shapley-value estimates: DeepLift's
 * summation-to-delta on the bundled convnet and a residual network, DeepLiftShap as the mean of DeepLift over its
 * references, GradientShap's completeness on a linear model, LRP's conservation on a bias-free ReLU network, and the
 * one-line refusal on a model without rule passes.
 */
class RuleMethodsTest {
    static double sum(Tensor t, int i) {
        int per = t.shape().sizeFrom(1);
        double s = 0;
        for (int j = 0; j < per; j++) {
            s += t.data()[i * per + j];
        }
        return s;
    }

    static void assertSumsToDifference(Classifier m, Tensor x, int[] y, String baseline) {
        ExplainConfig cfg = ExplainConfig.of(Explainers.named("deep-lift").options(Map.of("baseline", baseline))).withSeed(3).withBatchSize(4);
        AttributionResult r = Explainers.named("deep-lift").attribute(m, x, y, cfg);
        Tensor base = Baselines.of(IntegratedGradients.Baseline.valueOf(baseline.toUpperCase(java.util.Locale.ROOT)), null, 3, x, m.bounds());
        double[] fx = Scores.of(m, x, y, ExplainConfig.Score.LOGIT, 64);
        double[] fb = Scores.of(m, base, y, ExplainConfig.Score.LOGIT, 64);
        for (int i = 0; i < x.dim(0); i++) {
            double want = fx[i] - fb[i];
            double got = sum(r.maps(), i);
            assertTrue(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)),
                    m.backend() + " " + baseline + " sample " + i + ": sum of attributions " + got + ", f(x) - f(x0) " + want);
            assertEquals(got - want, r.deltas()[i], 1e-3 * Math.max(1, Math.abs(want)), "reported delta");
        }
    }

    @Test
    void deepLiftSumsToTheScoreDifferenceOnTheConvnetAndAResidualNetwork() throws IOException {
        Classifier convnet = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "convnet.fovea")), 64);
        Tensor x = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(10).images();
        int[] y = convnet.predict(x);
        assertSumsToDifference(convnet, x, y, "black");
        assertSumsToDifference(convnet, x, y, "uniform");
        Classifier res = new EngineClassifier(ModelFile.load(FixturePaths.fixture("golden", "smallres").resolve("smallres.fovea")), 64);
        Tensor xr = Npy.read(FixturePaths.fixture("golden", "smallres").resolve("x.npy")).toTensor();
        assertSumsToDifference(res, xr, res.predict(xr), "black");
        assertSumsToDifference(res, xr, res.predict(xr), "blurred");
    }

    @Test
    void deepLiftShapIsTheMeanOfDeepLiftOverItsReferences() throws IOException {
        Classifier m = MethodsTest.tiny("{\"layers\":[{\"type\":\"conv2d\",\"out_channels\":3,\"kernel\":3},{\"type\":\"relu\"},{\"type\":\"maxpool2d\",\"kernel\":2},"
                + "{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 4);
        Tensor x = MethodsTest.images(3, 9);
        int[] t = {0, 1, 2};
        Tensor refs = DeepLiftShap.references(4, 5, m);
        Tensor shap = Explainers.named("deep-lift-shap").attribute(m, x, t, ExplainConfig.of(new DeepLiftShap.Options(4)).withSeed(5)).maps();
        double[] mean = new double[x.size()];
        for (int k = 0; k < 4; k++) {
            DeepLift.Options o = new DeepLift.Options(IntegratedGradients.Baseline.IMAGE, refs.slice(k, k + 1).reshape(Shape.of(1, 6, 6)));
            Tensor a = Explainers.named("deep-lift").attribute(m, x, t, ExplainConfig.of(o)).maps();
            for (int j = 0; j < mean.length; j++) {
                mean[j] += a.data()[j] / 4;
            }
        }
        for (int j = 0; j < mean.length; j++) {
            assertEquals(mean[j], shap.data()[j], 1e-5, "value " + j);
        }
    }

    @Test
    void gradientShapOfALinearModelSumsToTheDifferenceFromItsReference() throws IOException {
        Classifier lin = MethodsTest.tiny("{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 5);
        Tensor x = MethodsTest.images(4, 2);
        int[] t = {0, 1, 2, 1};
        AttributionResult r = Explainers.named("gradient-shap").attribute(lin, x, t, ExplainConfig.of(new GradientShap.Options(1, 7, 0.0)).withSeed(8));
        Tensor b = DeepLiftShap.references(1, 8, lin);
        for (int i = 0; i < 4; i++) {
            double fbi = Scores.of(lin, b, new int[] {t[i]}, ExplainConfig.Score.LOGIT, 1)[0];
            assertEquals(r.scores()[i] - fbi, sum(r.maps(), i), 1e-4, "sample " + i);
        }
    }

    @Test
    void lrpConservesTheLogitOnABiasFreeReluNetworkAsEpsilonVanishes() throws IOException {
        Classifier m = MethodsTest.tiny("{\"layers\":[{\"type\":\"conv2d\",\"out_channels\":4,\"kernel\":3,\"padding\":1,\"bias\":false},{\"type\":\"relu\"},"
                + "{\"type\":\"maxpool2d\",\"kernel\":2},{\"type\":\"conv2d\",\"out_channels\":4,\"kernel\":3,\"bias\":false},{\"type\":\"relu\"},"
                + "{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\",\"bias\":false}]}", 6);
        Tensor x = MethodsTest.images(5, 4);
        int[] t = m.predict(x);
        for (String eps : new String[] {"1e-9", "0"}) {
            AttributionResult r = Explainers.named("lrp").attribute(m, x, t, ExplainConfig.of(Explainers.named("lrp").options(Map.of("epsilon", eps))));
            for (int i = 0; i < 5; i++) {
                assertEquals(r.scores()[i], sum(r.maps(), i), 1e-4 * Math.abs(r.scores()[i]), "epsilon " + eps + " sample " + i);
            }
        }
        AttributionResult big = Explainers.named("lrp").attribute(m, x, t, ExplainConfig.of(Explainers.named("lrp").options(Map.of("epsilon", "10"))));
        assertTrue(Math.abs(sum(big.maps(), 0)) < 0.9 * Math.abs(big.scores()[0]), "a large epsilon absorbs relevance");
    }

    @Test
    void withoutRulePassesTheRuleMethodsSayWhyInOneLine() throws IOException {
        EngineClassifier engine = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 64);
        Classifier opaque = new Classifier() {
            public Shape inputShape() {
                return engine.inputShape();
            }

            public List<String> classNames() {
                return engine.classNames();
            }

            public String backend() {
                return "libtorch";
            }

            public int batchSize() {
                return 64;
            }

            public Tensor logits(Tensor x) {
                return engine.logits(x);
            }

            public Gradient gradient(Tensor x, Objective o) {
                return engine.gradient(x, o);
            }

            public List<String> layers() {
                return engine.layers();
            }

            public Tensor activations(Tensor x, String layer) {
                return engine.activations(x, layer);
            }

            public LayerGradient layerGradient(Tensor x, String layer, Objective o) {
                return engine.layerGradient(x, layer, o);
            }
        };
        Tensor in = Tensor.uniform(Shape.of(1, 1, 28, 28), 0f, 1f, 2);
        for (String method : new String[] {"deep-lift", "deep-lift-shap", "guided-backprop", "guided-grad-cam", "lrp"}) {
            Attribution a = Explainers.named(method);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.resolve(opaque, in, a.defaultOptions()));
            assertTrue(e.getMessage().startsWith(method + ": not available for this model (libtorch backend): it needs per-layer backward rules"),
                    e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
        Attribution ablation = Explainers.named("ablation-cam");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ablation.resolve(opaque, in, ablation.defaultOptions())).getMessage()
                .startsWith("ablation-cam: not available for this model"));
        assertTrue(Explainers.named("gradient-shap").attribute(opaque, in, new int[] {0}, ExplainConfig.defaults(Explainers.named("gradient-shap"))).maps()
                .allFinite(), "gradient-shap needs gradients only");
    }
}
