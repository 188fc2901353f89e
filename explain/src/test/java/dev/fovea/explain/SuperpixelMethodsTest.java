package dev.fovea.explain;

import dev.fovea.data.DataSpec;
import dev.fovea.data.FixturePaths;
import dev.fovea.explain.segment.Segments;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feature ablation, LIME and KernelSHAP: exact on a linear model (whose score is additive over any features),
 * KernelSHAP's end points pinned on a non-linear one, Captum's coalition sampling, and their options.
 */
class SuperpixelMethodsTest {
    static final String LINEAR = "{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}";

    /** The value of each feature of sample {@code i}: its pixels share it. */
    static double[] perFeature(Tensor maps, int i, Segments s) {
        double[] v = new double[s.count()];
        int hw = s.labels().length;
        for (int p = 0; p < hw; p++) {
            v[s.labels()[p]] = maps.data()[i * hw + p];
        }
        return v;
    }

    @Test
    void onALinearModelAllThreeGiveTheSumOfWeightTimesChangeOverEachCell() throws IOException {
        Classifier lin = MethodsTest.tiny(LINEAR, 3);
        Tensor x = MethodsTest.images(3, 4);
        int[] t = {0, 2, 1};
        float base = 0.25f;
        Superpixels.Options sp = Superpixels.Options.DEFAULTS.withGrid(3).withBaselineValue(base);
        Tensor g = lin.gradient(x, Objective.logit(t)).gradient();
        Map<String, AttributionOptions> runs = Map.of(
                "feature-ablation", sp,
                "kernel-shap", KernelShap.Options.DEFAULTS.withSuperpixels(sp).withSamples(12),
                "lime", Lime.Options.DEFAULTS.withSuperpixels(sp).withSamples(40).withSurrogate(Lime.Surrogate.LINEAR, 0));
        for (var run : runs.entrySet()) {
            Tensor maps = Explainers.named(run.getKey()).attribute(lin, x, t, ExplainConfig.of(run.getValue()).withSeed(3)).maps();
            for (int i = 0; i < 3; i++) {
                Segments s = sp.segment(x, i);
                double[] want = new double[s.count()];
                for (int p = 0; p < 36; p++) {
                    want[s.labels()[p]] += g.data()[i * 36 + p] * (x.data()[i * 36 + p] - base);
                }
                double[] got = perFeature(maps, i, s);
                for (int k = 0; k < s.count(); k++) {
                    assertEquals(want[k], got[k], 1e-4 * (1 + Math.abs(want[k])), run.getKey() + " sample " + i + " feature " + k);
                }
            }
        }
        Tensor lasso = Explainers.named("lime").attribute(lin, x, t, ExplainConfig.of(Lime.Options.DEFAULTS.withSuperpixels(sp).withSamples(40)
                .withSurrogate(Lime.Surrogate.LASSO, 0))).maps();
        Tensor ls = Explainers.named("lime").attribute(lin, x, t, ExplainConfig.of(Lime.Options.DEFAULTS.withSuperpixels(sp).withSamples(40)
                .withSurrogate(Lime.Surrogate.LINEAR, 0))).maps();
        for (int j = 0; j < ls.size(); j++) {
            assertEquals(ls.data()[j], lasso.data()[j], 1e-4, "the lasso without penalty is least squares");
        }
    }

    @Test
    void kernelShapValuesAddUpToTheScoreChangeOnLeNet() throws IOException {
        Classifier m = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 64);
        Tensor x = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(3).images();
        int[] t = m.predict(x);
        KernelShap.Options o = KernelShap.Options.DEFAULTS.withSuperpixels(Superpixels.Options.DEFAULTS.withSlic(25, 0.1)).withSamples(60);
        AttributionResult r = Explainers.named("kernel-shap").attribute(m, x, t, ExplainConfig.of(o));
        double[] atBaseline = Scores.of(m, Tensor.zeros(x.shape()), t, ExplainConfig.Score.LOGIT, 8);
        for (int i = 0; i < 3; i++) {
            double sum = 0;
            for (double v : perFeature(r.maps(), i, o.superpixels().segment(x, i))) {
                sum += v;
            }
            double change = r.scores()[i] - atBaseline[i];
            assertEquals(change, sum, 1e-3 * (1 + Math.abs(change)), "sample " + i + ": efficiency");
        }
    }

    @Test
    void coalitionsAreAllNoneThenSizesByTheShapleyKernel() {
        int m = 6;
        boolean[][] z = KernelShap.draw(9, m, 20_002);
        int[] bySize = new int[m + 1];
        for (int r = 0; r < z.length; r++) {
            int on = 0;
            for (boolean b : z[r]) {
                on += b ? 1 : 0;
            }
            if (r == 0) {
                assertEquals(m, on, "first: all features");
            } else if (r == 1) {
                assertEquals(0, on, "second: none");
            } else {
                bySize[on]++;
            }
        }
        double total = 0;
        for (int k = 1; k < m; k++) {
            total += (m - 1.0) / (k * (m - k));
        }
        assertEquals(0, bySize[0] + bySize[m], "no further end points");
        for (int k = 1; k < m; k++) {
            double want = 20_000 * (m - 1.0) / (k * (m - k)) / total;
            assertEquals(want, bySize[k], 4 * Math.sqrt(want), "coalitions of size " + k);
        }
        boolean[][] one = KernelShap.draw(9, 1, 5);
        assertTrue(one[0][0] && !one[1][0] && one[2][0] && !one[3][0], "one feature: the end points, repeated");
    }

    @Test
    void optionsAreCheckedAndTheUnreadOnesNamed() {
        Attribution lime = Explainers.named("lime");
        MethodsTest.assertInvalid("samples", "samples must be in [1,10000], got 0", () -> lime.options(Map.of("samples", "0")));
        MethodsTest.assertInvalid("compactness", "compactness must be finite and > 0, got -1.0",
                () -> Explainers.named("feature-ablation").options(Map.of("compactness", "-1")));
        MethodsTest.assertInvalid("surrogate", "surrogate: expected one of lasso, ridge, linear, got 'tree'", () -> lime.options(Map.of("surrogate", "tree")));
        MethodsTest.assertInvalid("window", "window: not an option of kernel-shap (options: segmentation, segments, compactness, cell, baselineValue, samples)",
                () -> Explainers.named("kernel-shap").options(Map.of("window", "3")));
        assertEquals(Map.of("cell", "read only with segmentation grid", "alpha", "read only with surrogate lasso or ridge"),
                lime.unused(List.of("cell", "alpha", "samples"), lime.options(Map.of("surrogate", "linear"))));
        assertEquals(Map.of("segments", "read only with segmentation slic"),
                Explainers.named("feature-ablation").unused(List.of("segments"), Superpixels.Options.DEFAULTS.withGrid(2)));
    }

    @Test
    void aCellLargerThanTheImageIsRefused() throws IOException {
        Classifier lin = MethodsTest.tiny(LINEAR, 3);
        Tensor x = MethodsTest.images(1, 4);
        MethodsTest.assertInvalid("cell", "cell 7 is larger than the image (6x6)", () -> Explainers.named("feature-ablation")
                .attribute(lin, x, new int[] {0}, ExplainConfig.of(Superpixels.Options.DEFAULTS.withGrid(7))));
    }
}
