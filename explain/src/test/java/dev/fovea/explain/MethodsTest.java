package dev.fovea.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.DataSpec;
import dev.fovea.data.FixturePaths;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.nn.Param;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Method-specific checks: completeness, linear models, a hand-computed Grad-CAM, occlusion of the whole image. */
class MethodsTest {
    static final List<String> CLASSES = List.of("a", "b", "c");

    static Classifier tiny(String json, long seed) throws IOException {
        Architecture arch = Architecture.fromJson(new ObjectMapper().readTree(json), "tiny");
        Network n = Network.create(arch, Shape.of(1, 6, 6), CLASSES, new float[] {0f}, new float[] {1f}, seed);
        return new EngineClassifier(n, 64);
    }

    static Tensor images(int n, long seed) {
        return Tensor.uniform(Shape.of(n, 1, 6, 6), 0.05f, 0.95f, seed);
    }

    @Test
    void integratedGradientsOnALinearModelIsGradientTimesInputMinusBaseline() throws IOException {
        Classifier lin = tiny("{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 5);
        Tensor x = images(4, 1);
        int[] t = {0, 1, 2, 1};
        for (IntegratedGradients.Baseline b : new IntegratedGradients.Baseline[] {IntegratedGradients.Baseline.BLACK, IntegratedGradients.Baseline.UNIFORM}) {
            for (IntegratedGradients.Rule rule : IntegratedGradients.Rule.values()) {
                ExplainConfig cfg = ExplainConfig.of(new IntegratedGradients.Options(3, rule, b, null));
                AttributionResult r = Explainers.named("integrated-gradients").attribute(lin, x, t, cfg);
                Tensor base = Baselines.of(b, null, cfg.seed(), x, lin.bounds());
                Tensor g = lin.gradient(x, Objective.logit(t)).gradient();
                for (int j = 0; j < x.size(); j++) {
                    double want = g.data()[j] * (x.data()[j] - base.data()[j]);
                    assertEquals(want, r.maps().data()[j], 1e-6 * (1 + Math.abs(want)), b + " " + rule + " at " + j);
                }
                for (double d : r.deltas()) {
                    assertEquals(0, d, 1e-4, b + " " + rule + ": completeness holds exactly on a linear model");
                }
            }
        }
    }

    @Test
    void integratedGradientsDeltaShrinksAsStepsGrowAndIsSmall() throws IOException {
        Classifier m = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 64);
        Tensor x = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(4).images();
        int[] t = m.predict(x);
        for (IntegratedGradients.Rule rule : new IntegratedGradients.Rule[] {IntegratedGradients.Rule.RIGHT, IntegratedGradients.Rule.GAUSS_LEGENDRE}) {
            double last = Double.POSITIVE_INFINITY;
            double relative = 0;
            for (int steps : new int[] {4, 16, 64}) {
                AttributionResult r = Explainers.named("integrated-gradients").attribute(m, x, t,
                        ExplainConfig.of(IntegratedGradients.Options.DEFAULTS.withRule(rule).withSteps(steps)));
                double worst = 0;
                relative = 0;
                for (int i = 0; i < t.length; i++) {
                    double total = 0;
                    for (int j = i * 784; j < (i + 1) * 784; j++) {
                        total += r.maps().data()[j];
                    }
                    double change = total - r.deltas()[i];
                    worst = Math.max(worst, Math.abs(r.deltas()[i]));
                    relative = Math.max(relative, Math.abs(r.deltas()[i] / change));
                }
                assertTrue(worst < last, rule + " " + steps + " steps: |delta| " + worst + " not below " + last);
                last = worst;
            }
            // The paper asks for |delta| within 5% of f(x) - f(baseline); Gauss-Legendre does far better.
            double bound = rule == IntegratedGradients.Rule.RIGHT ? 0.05 : 0.005;
            assertTrue(relative < bound, rule + " 64 steps: |delta| / |f(x) - f(baseline)| = " + relative);
        }
    }

    /** conv 1x1 with 2 channels, global average pooling, linear: Grad-CAM's weights are {@code W[t,k] / hw}. */
    @Test
    void gradCamMatchesAHandComputationOnATinyModel() throws IOException {
        Classifier m = tiny("{\"layers\":[{\"type\":\"conv2d\",\"out_channels\":2,\"kernel\":1},{\"type\":\"global_avgpool\"},"
                + "{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 3);
        List<Param> p = ((EngineClassifier) m).network().params();
        float[] conv = p.get(0).value().data();
        float[] convBias = p.get(1).value().data();
        float[] fc = p.get(2).value().data();
        conv[0] = 1.5f;
        conv[1] = -0.5f;
        convBias[0] = 0.25f;
        convBias[1] = 1.0f;
        Tensor x = images(2, 9);
        int[] t = {0, 2};
        AttributionResult r = Explainers.named("grad-cam").attribute(m, x, t, ExplainConfig.of(new CamBase.Options("0")));
        assertEquals("0", r.layer());
        for (int i = 0; i < 2; i++) {
            for (int q = 0; q < 36; q++) {
                double px = x.data()[i * 36 + q];
                double s = 0;
                for (int k = 0; k < 2; k++) {
                    double a = conv[k] * px + convBias[k];
                    s += fc[t[i] * 2 + k] / 36.0 * a;
                }
                assertEquals(Math.max(0, s), r.maps().data()[i * 36 + q], 1e-6, "sample " + i + " pixel " + q);
            }
        }
        assertEquals("0", Layers.spatial(m, null, x), "the default is the last layer with [N,C,H,W] output");
    }

    @Test
    void occlusionOfTheWholeImageIsTheTotalScoreDrop() throws IOException {
        Classifier m = tiny("{\"layers\":[{\"type\":\"conv2d\",\"out_channels\":4,\"kernel\":3,\"padding\":1},{\"type\":\"relu\"},"
                + "{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 8);
        Tensor x = images(3, 4);
        int[] t = {2, 0, 1};
        for (ExplainConfig.Score score : ExplainConfig.Score.values()) {
            ExplainConfig cfg = ExplainConfig.of(new Occlusion.Options(6, 1, 0.5)).withScore(score);
            AttributionResult r = Explainers.named("occlusion").attribute(m, x, t, cfg);
            double[] gray = Scores.of(m, Tensor.full(x.shape(), 0.5f), t, score, 64);
            for (int i = 0; i < 3; i++) {
                double drop = r.scores()[i] - gray[i];
                for (int q = 0; q < 36; q++) {
                    assertEquals(drop, r.maps().data()[i * 36 + q], 1e-6, score + " sample " + i);
                }
            }
        }
        Attribution occlusion = Explainers.named("occlusion");
        ExplainConfig tooLarge = ExplainConfig.of(occlusion.options(Map.of("window", "7", "stride", "1")));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> occlusion.attribute(m, x, t, tooLarge));
        assertEquals("window", e.option());
        assertEquals("window 7 is larger than the image (6x6)", e.getMessage());
        assertThrows(InvalidOptionException.class, () -> occlusion.resolve(m, x, tooLarge.options()), "checked before any work");
        assertArrayEquals(new int[] {0, 2, 3}, Occlusion.positions(6, 3, 2), "a flush last position covers the edge");
    }

    @Test
    void badOptionsNameTheOption() {
        assertInvalid("noise", "noise must be >= 0, got -1", () -> new NoiseTunnel.Options(32, -1));
        assertInvalid("steps", "steps must be >= 1, got 0", () -> IntegratedGradients.Options.DEFAULTS.withSteps(0));
        assertInvalid("steps", "steps must be >= 2 for the trapezoid rule, got 1",
                () -> new IntegratedGradients.Options(1, IntegratedGradients.Rule.TRAPEZOID, IntegratedGradients.Baseline.BLACK, null));
        assertInvalid("window", "window must be >= 1, got 0", () -> Occlusion.Options.DEFAULTS.withWindow(0, 1));
        assertInvalid("stride", "stride must be at most window, got 5 > 4 (a larger step leaves pixels that no position of the square covers)",
                () -> Occlusion.Options.DEFAULTS.withWindow(4, 5));
        assertEquals(4, Occlusion.Options.DEFAULTS.withWindow(4, 4).stride(), "a stride equal to the window tiles the image");
        assertInvalid("baselineValue", "baselineValue must be finite, got NaN", () -> Occlusion.Options.DEFAULTS.withBaselineValue(Double.NaN));
        assertInvalid("baselineImage", "baselineImage: expected [C,H,W] or [N,C,H,W], got [6,6]",
                () -> IntegratedGradients.Options.DEFAULTS.withBaseline(IntegratedGradients.Baseline.IMAGE, Tensor.zeros(Shape.of(6, 6))));
        assertInvalid("batchSize", "batchSize must be >= 1, got 0", () -> ExplainConfig.of(AttributionOptions.NONE).withBatchSize(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Explainers.named("magic")).getMessage().startsWith("unknown method 'magic'"));
    }

    @Test
    void anImageBaselineNeedsAnImageOfTheInputsShape() throws IOException {
        Classifier lin = tiny("{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 5);
        Tensor x = images(2, 1);
        int[] t = {0, 1};
        Attribution ig = Explainers.named("integrated-gradients");
        IntegratedGradients.Options noImage = (IntegratedGradients.Options) ig.options(Map.of("baseline", "image", "steps", "4"));
        assertInvalid("baselineImage", "baselineImage: expected an image [1,6,6] or [2,1,6,6] for baseline image, got none",
                () -> ig.attribute(lin, x, t, ExplainConfig.of(noImage)));
        assertInvalid("baselineImage", "baselineImage: expected [1,6,6] or [2,1,6,6], got [1,5,5]",
                () -> ig.attribute(lin, x, t, ExplainConfig.of(noImage.withBaseline(IntegratedGradients.Baseline.IMAGE, Tensor.zeros(Shape.of(1, 5, 5))))));
        Tensor grey = Tensor.full(Shape.of(1, 6, 6), 0.5f);
        AttributionOptions shared = ig.options(Map.of("baseline", "image", "steps", "4"), Map.of("baselineImage", grey));
        Tensor perSample = Tensor.full(Shape.of(2, 1, 6, 6), 0.5f);
        AttributionResult a = ig.attribute(lin, x, t, ExplainConfig.of(shared));
        AttributionResult b = ig.attribute(lin, x, t, ExplainConfig.of(noImage.withBaseline(IntegratedGradients.Baseline.IMAGE, perSample)));
        assertArrayEquals(a.maps().data(), b.maps().data(), "one image for all samples or one per sample");
        AttributionOptions second = noImage.withBaseline(IntegratedGradients.Baseline.IMAGE, perSample).forSamples(1, 2);
        assertArrayEquals(b.maps().slice(1, 2).data(), ig.attribute(lin, x.slice(1, 2), new int[] {1}, ExplainConfig.of(second)).maps().data(),
                "forSamples slices a per-sample baseline");
    }

    static void assertInvalid(String option, String message, org.junit.jupiter.api.function.Executable call) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, call);
        assertEquals(option, e.option(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    @Test
    void targetsAndLayersResolveOrSayWhatIsValid() throws IOException {
        Classifier m = tiny("{\"layers\":[{\"type\":\"conv2d\",\"out_channels\":2,\"kernel\":3},{\"type\":\"relu\"},"
                + "{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 2);
        Tensor x = images(2, 3);
        assertArrayEquals(new int[] {1, 1}, Targets.resolve("b", m, x, null));
        assertArrayEquals(new int[] {2, 2}, Targets.resolve("2", m, x, null));
        assertArrayEquals(new int[] {0, 2}, Targets.resolve("label", m, x, new int[] {0, 2}));
        assertArrayEquals(m.predict(x), Targets.resolve("pred", m, x, null));
        assertEquals("target", assertThrows(InvalidOptionException.class, () -> Targets.resolve("label", m, x, null)).option());
        InvalidOptionException target = assertThrows(InvalidOptionException.class, () -> Targets.resolve("7", m, x, null));
        assertEquals("target", target.option());
        assertEquals("target: expected label, pred, a class index in [0,3) or one of a, b, c, got '7'", target.getMessage());
        InvalidOptionException layer = assertThrows(InvalidOptionException.class, () -> Layers.spatial(m, "9", x));
        assertEquals("layer", layer.option());
        assertEquals("layer: unknown layer '9' (layers: " + String.join(", ", m.layers()) + ")", layer.getMessage());
        assertTrue(assertThrows(InvalidOptionException.class, () -> Layers.spatial(m, "3", x)).getMessage()
                .startsWith("layer 3: expected a convolutional layer"));
        assertEquals("1", Layers.spatial(m, null, x));
        Attribution cam = Explainers.named("grad-cam");
        assertEquals(new CamBase.Options("1"), cam.resolve(m, x, cam.defaultOptions()), "resolve names the default layer");
    }
}
