package dev.fovea.explain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.fovea.explain.ExplainGoldenTest.assertClose;
import static dev.fovea.explain.ExplainGoldenTest.load;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule-based methods and the further CAMs against the PyTorch values of {@code fixtures/make_explain_rules_golden.py}
 * (its own implementation of each, Captum and pytorch-grad-cam not being installable) on the golden LeNet-5 (tanh,
 * average pooling) and the golden batch-norm ReLU max-pool network, for their 8 golden images and labels, with
 * the tolerance of {@link ExplainGoldenTest}.
 */
class ExplainRulesGoldenTest {
    static ExplainConfig cfg(String method, String... values) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            named.put(values[i], values[i + 1]);
        }
        return ExplainConfig.of(Explainers.named(method).options(named)).withBatchSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void ruleMethodsMatchPyTorch(String name) throws IOException {
        ExplainGoldenTest.Golden g = load(name);
        String layer = name.equals("lenet5") ? "5" : "6";
        AttributionResult dl = ExplainGoldenTest.run(g, "deep-lift", cfg("deep-lift"));
        assertClose(g.npy("deep_lift.npy"), dl.maps(), name + " deep-lift");
        for (int i = 0; i < dl.deltas().length; i++) {
            assertTrue(Math.abs(dl.deltas()[i]) < 1e-3 * Math.max(1, Math.abs(dl.scores()[i])), name + " deep-lift delta " + dl.deltas()[i]);
        }
        assertClose(g.npy("guided_backprop.npy"), ExplainGoldenTest.run(g, "guided-backprop", cfg("guided-backprop")).maps(), name + " guided backprop");
        assertClose(g.npy("guided_grad_cam_" + layer + ".npy"),
                ExplainGoldenTest.run(g, "guided-grad-cam", cfg("guided-grad-cam", "layer", layer)).maps(), name + " guided grad-cam");
        assertClose(g.npy("lrp_epsilon.npy"), ExplainGoldenTest.run(g, "lrp", cfg("lrp")).maps(), name + " lrp epsilon");
        assertClose(g.npy("lrp_epsilon_0.01.npy"), ExplainGoldenTest.run(g, "lrp", cfg("lrp", "epsilon", "0.01")).maps(), name + " lrp epsilon 0.01");
        assertClose(g.npy("lrp_alpha1_beta0.npy"), ExplainGoldenTest.run(g, "lrp", cfg("lrp", "lrpRule", "alpha-beta")).maps(), name + " lrp alpha 1 beta 0");
        assertClose(g.npy("lrp_alpha2_beta1.npy"),
                ExplainGoldenTest.run(g, "lrp", cfg("lrp", "lrpRule", "alpha-beta", "alpha", "2", "beta", "1")).maps(), name + " lrp alpha 2 beta 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "smallbn"})
    void furtherCamsMatchPyTorch(String name) throws IOException {
        ExplainGoldenTest.Golden g = load(name);
        String layer = name.equals("lenet5") ? "5" : "6";
        for (String m : new String[] {"xgrad-cam", "layer-cam", "score-cam", "eigen-cam", "ablation-cam"}) {
            assertClose(g.npy(m.replace('-', '_') + "_" + layer + ".npy"), ExplainGoldenTest.run(g, m, cfg(m, "layer", layer)).maps(), name + " " + m);
        }
    }
}
