package dev.fovea.explain;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attribution method against PyTorch's float64 values in {@code fixtures/golden/explain} (made by
 * {@code fixtures/make_explain_golden.py}) on the golden LeNet-5 (smooth) and the golden small batch-norm ReLU
 * network, for their 8 golden images and labels: {@code max|A - G| <= 1e-3 max|G| + 1e-6}.
 */
class ExplainGoldenTest {
    static final double REL = 1e-3;
    static final double FLOOR = 1e-6;

    record Golden(Classifier model, Tensor x, int[] y, Path dir) {
        Tensor npy(String file) throws IOException {
            return Npy.read(dir.resolve(file)).toTensor();
        }
    }

    static Golden load(String name) throws IOException {
        Path src = FixturePaths.fixture("golden", name);
        Classifier m = new EngineClassifier(ModelFile.load(src.resolve(name + ".fovea")), 3);
        Tensor x = Npy.read(src.resolve("x.npy")).toTensor();
        NpyArray y = Npy.read(src.resolve("y.npy"));
        int[] labels = new int[y.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) (y.longs() != null ? y.longs()[i] : y.floats()[i]);
        }
        return new Golden(m, x, labels, FixturePaths.fixture("golden", "explain", name));
    }

    static void assertClose(Tensor golden, Tensor got, String what) {
        assertClose(golden, got, what, REL);
    }

    static void assertClose(Tensor golden, Tensor got, String what, double rel) {
        assertArrayEquals(golden.shape().dims(), got.shape().dims(), what + ": shape");
        double max = 0;
        double err = 0;
        int at = -1;
        for (int i = 0; i < golden.size(); i++) {
            max = Math.max(max, Math.abs(golden.data()[i]));
            double e = Math.abs(golden.data()[i] - got.data()[i]);
            if (e > err) {
                err = e;
                at = i;
            }
        }
        assertTrue(max > 0, what + ": golden values are all zero");
        assertTrue(err <= rel * max + FLOOR, what + ": max error " + err + " at " + at + " (golden " + golden.data()[Math.max(0, at)]
                + ", got " + got.data()[Math.max(0, at)] + "), allowed " + (rel * max + FLOOR));
    }

    static AttributionResult run(Golden g, String method, ExplainConfig cfg) {
        return Explainers.named(method).attribute(g.model(), g.x(), g.y(), cfg);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void gradientMethodsMatchPyTorch(String name) throws IOException {
        Golden g = load(name);
        ExplainConfig cfg = ExplainConfig.of(AttributionOptions.NONE).withBatchSize(5);
        assertClose(g.npy("saliency.npy"), run(g, "saliency", cfg).maps(), name + " saliency");
        assertClose(g.npy("saliency_prob.npy"), run(g, "saliency", cfg.withScore(ExplainConfig.Score.PROBABILITY)).maps(),
                name + " saliency of the probability");
        assertClose(g.npy("gradient_x_input.npy"), run(g, "gradient-x-input", cfg).maps(), name + " gradient x input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void integratedGradientsMatchPyTorchForEveryRule(String name) throws IOException {
        Golden g = load(name);
        Object[][] runs = {{IntegratedGradients.Rule.GAUSS_LEGENDRE, 32}, {IntegratedGradients.Rule.GAUSS_LEGENDRE, 8},
                {IntegratedGradients.Rule.LEFT, 16}, {IntegratedGradients.Rule.RIGHT, 16}, {IntegratedGradients.Rule.MIDDLE, 16},
                {IntegratedGradients.Rule.TRAPEZOID, 16}};
        for (Object[] r : runs) {
            IntegratedGradients.Rule rule = (IntegratedGradients.Rule) r[0];
            int steps = (Integer) r[1];
            String file = "ig_" + rule.name().toLowerCase(java.util.Locale.ROOT) + "_" + steps;
            AttributionResult res = run(g, "integrated-gradients",
                    ExplainConfig.of(IntegratedGradients.Options.DEFAULTS.withRule(rule).withSteps(steps)).withBatchSize(7));
            Tensor gold = g.npy(file + ".npy");
            assertClose(gold, res.maps(), name + " " + file);
            assertDeltas(g.npy(file + "_delta.npy"), res.deltas(), gold, name + " " + file);
        }
        // On a ReLU/max-pool network the 32 points from the blurred image to x cross kinks; float32 rounding of the
        // blurred baseline can flip a branch at one of them (smallbn: ~1.2e-3 of the largest value), so that model
        // is held to 5e-3 here; lenet5 to the common 1e-3.
        double rel = name.equals("lenet5") ? REL : 5e-3;
        AttributionResult blurred = run(g, "integrated-gradients",
                ExplainConfig.of(IntegratedGradients.Options.DEFAULTS.withBaseline(IntegratedGradients.Baseline.BLURRED, null)));
        Tensor gold = g.npy("ig_blurred_gauss_legendre_32.npy");
        assertClose(gold, blurred.maps(), name + " IG from the blurred baseline", rel);
        assertDeltas(g.npy("ig_blurred_gauss_legendre_32_delta.npy"), blurred.deltas(), gold, name + " blurred");
    }

    /** Deltas are differences of sums of 784 values: allowed the attribution tolerance times the pixel count. */
    private static void assertDeltas(Tensor golden, double[] got, Tensor attr, String what) {
        double max = 0;
        for (float v : attr.data()) {
            max = Math.max(max, Math.abs(v));
        }
        double tol = REL * max * attr.shape().sizeFrom(1) / 10 + 1e-4;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(golden.data()[i] - got[i]);
            assertTrue(e <= tol, what + ": delta of sample " + i + " is " + got[i] + ", golden " + golden.data()[i] + " (allowed " + tol + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void smoothGradAndVarGradMatchPyTorchOnTheSameNoise(String name) throws IOException {
        Golden g = load(name);
        Tensor noise = g.npy("noise.npy");
        int copies = noise.dim(1);
        int per = g.x().shape().sizeFrom(1);
        NoiseTunnel.Noise fromFile = (i, k, dst, off, n) -> System.arraycopy(noise.data(), (i * copies + k) * per, dst, off, n);
        ExplainConfig cfg = ExplainConfig.of(new NoiseTunnel.Options(copies, 0.15)).withBatchSize(6);
        assertClose(g.npy("smoothgrad.npy"), new SmoothGrad().compute(g.model(), g.x(), g.y(), cfg, fromFile).maps(), name + " smoothgrad");
        assertClose(g.npy("vargrad.npy"), new VarGrad().compute(g.model(), g.x(), g.y(), cfg, fromFile).maps(), name + " vargrad");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void camMethodsAndOcclusionMatchPyTorch(String name) throws IOException {
        Golden g = load(name);
        String layer = name.equals("lenet5") ? "5" : "6";
        ExplainConfig cfg = ExplainConfig.of(new CamBase.Options(layer)).withBatchSize(3);
        assertClose(g.npy("grad_cam_" + layer + ".npy"), run(g, "grad-cam", cfg).maps(), name + " grad-cam");
        assertClose(g.npy("grad_cam_pp_" + layer + ".npy"), run(g, "grad-cam++", cfg).maps(), name + " grad-cam++");
        assertClose(g.npy("occlusion_w4_s3.npy"), run(g, "occlusion", cfg.withOptions(Occlusion.Options.DEFAULTS.withWindow(4, 3))).maps(),
                name + " occlusion");
    }

    @Test
    void gaussLegendreNodesAreExactForPolynomials() {
        Quadrature q = Quadrature.of(IntegratedGradients.Rule.GAUSS_LEGENDRE, 5);
        for (int deg = 0; deg <= 9; deg++) {
            double s = 0;
            for (int k = 0; k < 5; k++) {
                s += q.weights[k] * Math.pow(q.points[k], deg);
            }
            assertTrue(Math.abs(s - 1.0 / (deg + 1)) < 1e-13, "degree " + deg + ": " + s);
        }
    }
}
