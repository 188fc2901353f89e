package dev.fovea.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each method's options through the registry: described, built from named values (defaults for absent names,
 * errors naming the option for unknown names and bad values), and serialised as a report's options block.
 */
class AttributionOptionsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Per method: whether it evaluates many rows per sample, and its options block at the defaults. */
    static final Map<String, Object[]> TABLE = Map.ofEntries(
            Map.entry("saliency", new Object[] {false, "{}"}),
            Map.entry("gradient-x-input", new Object[] {false, "{}"}),
            Map.entry("smoothgrad", new Object[] {true, "{\"samples\":32,\"noise\":0.15}"}),
            Map.entry("vargrad", new Object[] {true, "{\"samples\":32,\"noise\":0.15}"}),
            Map.entry("integrated-gradients", new Object[] {true, "{\"steps\":32,\"rule\":\"gauss-legendre\",\"baseline\":\"black\"}"}),
            Map.entry("grad-cam", new Object[] {false, "{}"}),
            Map.entry("grad-cam++", new Object[] {false, "{}"}),
            Map.entry("occlusion", new Object[] {true, "{\"window\":4,\"stride\":2,\"baseline_value\":0.0}"}),
            Map.entry("deep-lift", new Object[] {false, "{\"baseline\":\"black\"}"}),
            Map.entry("deep-lift-shap", new Object[] {true, "{\"references\":10}"}),
            Map.entry("gradient-shap", new Object[] {true, "{\"references\":10,\"draws\":5,\"stdevs\":0.0}"}),
            Map.entry("guided-backprop", new Object[] {false, "{}"}),
            Map.entry("guided-grad-cam", new Object[] {false, "{}"}),
            Map.entry("lrp", new Object[] {false, "{\"lrp_rule\":\"epsilon\",\"epsilon\":1.0E-9,\"alpha\":1.0,\"beta\":0.0}"}),
            Map.entry("xgrad-cam", new Object[] {false, "{}"}),
            Map.entry("layer-cam", new Object[] {false, "{}"}),
            Map.entry("score-cam", new Object[] {true, "{}"}),
            Map.entry("eigen-cam", new Object[] {false, "{}"}),
            Map.entry("ablation-cam", new Object[] {true, "{}"}),
            Map.entry("feature-ablation", new Object[] {true, "{\"segmentation\":\"slic\",\"segments\":100,\"compactness\":10.0,\"cell\":4,\"baseline_value\":0.0}"}),
            Map.entry("lime", new Object[] {true, "{\"segmentation\":\"slic\",\"segments\":100,\"compactness\":10.0,\"cell\":4,\"baseline_value\":0.0,\"samples\":25,\"kernel_width\":1.0,\"surrogate\":\"lasso\",\"alpha\":0.01}"}),
            Map.entry("kernel-shap", new Object[] {true, "{\"segmentation\":\"slic\",\"segments\":100,\"compactness\":10.0,\"cell\":4,\"baseline_value\":0.0,\"samples\":25}"}));

    @Test
    void everyRegisteredMethodIsInTheTable() {
        assertEquals(new TreeSet<>(Explainers.names()), new TreeSet<>(TABLE.keySet()));
    }

    @Test
    void defaultsDescribedParsedAndSerialised() throws Exception {
        for (Attribution a : Explainers.all()) {
            Object[] row = TABLE.get(a.name());
            assertEquals(row[0], a.manyRowsPerSample(), a.name() + ": many rows per sample");
            assertEquals(a.defaultOptions(), a.options(Map.of()), a.name() + ": absent names take the defaults");
            assertEquals(row[1], JSON.writeValueAsString(a.defaultOptions()), a.name() + ": options block");
            Map<String, String> given = new LinkedHashMap<>();
            for (OptionInfo o : a.optionInfo()) {
                assertTrue(o.name().matches("[a-z][A-Za-z0-9]*"), a.name() + ": camel-case name " + o.name());
                if (o.defaultValue() != null && !o.type().equals("tensor")) {
                    given.put(o.name(), o.defaultValue());
                }
            }
            assertEquals(a.defaultOptions(), a.options(given), a.name() + ": the described defaults are the defaults");
        }
    }

    @Test
    void namedValuesBuildTheRecords() throws Exception {
        Attribution ig = Explainers.named("integrated-gradients");
        AttributionOptions o = ig.options(Map.of("steps", "16", "rule", "Trapezoid", "baseline", "uniform"));
        assertEquals(new IntegratedGradients.Options(16, IntegratedGradients.Rule.TRAPEZOID, IntegratedGradients.Baseline.UNIFORM, null), o);
        assertEquals("{\"steps\":16,\"rule\":\"trapezoid\",\"baseline\":\"uniform\"}", JSON.writeValueAsString(o));
        Tensor image = Tensor.zeros(Shape.of(1, 28, 28));
        AttributionOptions withImage = ig.options(Map.of("baseline", "image"), Map.of("baselineImage", image));
        assertSame(image, ((IntegratedGradients.Options) withImage).baselineImage());
        assertEquals("{\"steps\":32,\"rule\":\"gauss-legendre\",\"baseline\":\"image\"}", JSON.writeValueAsString(withImage),
                "the baseline image is never serialised");
        assertEquals(new NoiseTunnel.Options(8, 0.3), Explainers.named("vargrad").options(Map.of("samples", "8", "noise", "0.3")));
        assertEquals(new Occlusion.Options(6, 4, 0.5), Explainers.named("occlusion").options(Map.of("window", "6", "stride", "4", "baselineValue", "0.5")));
        AttributionOptions cam = Explainers.named("grad-cam").options(Map.of("layer", "conv2"));
        assertEquals(new CamBase.Options("conv2"), cam);
        assertEquals("{}", JSON.writeValueAsString(cam), "the layer read is the result's to report");
        assertEquals(new CamBase.Options(null), new CamBase.Options(" "), "a blank layer is the default");
    }

    @Test
    void unknownNamesAndBadValuesNameTheOption() {
        assertInvalid("steps", "steps: not an option of saliency, which has none", () -> Explainers.named("saliency").options(Map.of("steps", "4")));
        assertInvalid("window", "window: not an option of integrated-gradients (options: steps, rule, baseline, baselineImage)",
                () -> Explainers.named("integrated-gradients").options(Map.of("window", "4")));
        assertInvalid("steps", "steps: expected an integer, got 'many'", () -> Explainers.named("integrated-gradients").options(Map.of("steps", "many")));
        assertInvalid("noise", "noise: expected a number, got 'loud'", () -> Explainers.named("smoothgrad").options(Map.of("noise", "loud")));
        assertInvalid("noise", "noise must be >= 0, got -1", () -> Explainers.named("smoothgrad").options(Map.of("noise", "-1")));
        assertInvalid("rule", "rule: expected one of left, right, middle, trapezoid, gauss-legendre, got 'simpson'",
                () -> Explainers.named("integrated-gradients").options(Map.of("rule", "simpson")));
        assertInvalid("baselineImage", "baselineImage: expected a tensor, got text 'x.png'",
                () -> Explainers.named("integrated-gradients").options(Map.of("baselineImage", "x.png")));
        assertInvalid("steps", "steps: expected int text, got a tensor",
                () -> Explainers.named("integrated-gradients").options(Map.of(), Map.of("steps", Tensor.zeros(Shape.of(1)))));
    }

    @Test
    void optionsOfAnotherMethodAreRefused() throws IOException {
        Attribution saliency = Explainers.named("saliency");
        Classifier m = MethodsTest.tiny("{\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"out_features\":\"classes\"}]}", 1);
        Tensor x = Tensor.zeros(m.inputShape().withBatch(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> saliency.attribute(m, x, new int[] {0}, ExplainConfig.of(Occlusion.Options.DEFAULTS)));
        assertEquals("saliency: expected options None, got Options", e.getMessage());
    }

    @Test
    void theSharedPartWritesScoreAndBatchSizeFirst() throws Exception {
        ExplainConfig cfg = ExplainConfig.of(IntegratedGradients.Options.DEFAULTS.withSteps(16)).withSeed(5);
        assertEquals("{\"score\":\"logit\",\"batch_size\":64,\"steps\":16,\"rule\":\"gauss-legendre\",\"baseline\":\"black\"}",
                JSON.writeValueAsString(cfg));
        assertEquals("{\"score\":\"probability\",\"batch_size\":8}",
                JSON.writeValueAsString(ExplainConfig.of(AttributionOptions.NONE).withScore(ExplainConfig.Score.PROBABILITY).withBatchSize(8)));
    }

    /** A method added at run time: found by name, listed, its name then taken. */
    static final class Constant extends Attribution {
        @Override
        public String name() {
            return "constant-test";
        }

        @Override
        public String describe() {
            return "ones, whatever the model";
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
    void methodsCanBeRegisteredAtRunTime() {
        Constant c = new Constant();
        Explainers.register(c);
        try {
            assertSame(c, Explainers.named("constant-test"));
            assertTrue(Explainers.names().contains("constant-test"));
            assertFalse(c.manyRowsPerSample());
            assertEquals(AttributionOptions.NONE, c.options(Map.of()));
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> Explainers.register(new Constant()));
            assertTrue(taken.getMessage().contains("'constant-test' is taken"), taken.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Explainers.register(new Saliency())).getMessage().contains("'saliency' is taken"));
        } finally {
            assertTrue(Explainers.unregister("constant-test"));
        }
        assertFalse(Explainers.names().contains("constant-test"));
    }

    static void assertInvalid(String option, String message, org.junit.jupiter.api.function.Executable call) {
        MethodsTest.assertInvalid(option, message, call);
    }

    @Test
    void optionsAMethodWillNotReadAreNamedWithTheReason() {
        Attribution saliency = Explainers.named("saliency");
        assertEquals(Map.of("window", "not an option of saliency", "steps", "not an option of saliency"),
                saliency.unused(java.util.List.of("window", "steps"), saliency.defaultOptions()));
        Attribution ig = Explainers.named("integrated-gradients");
        assertEquals(Map.of("baselineImage", "read only with baseline image", "window", "not an option of integrated-gradients"),
                ig.unused(java.util.List.of("steps", "baselineImage", "window"), ig.defaultOptions()));
        Tensor grey = Tensor.full(Shape.of(1, 6, 6), 0.5f);
        assertEquals(Map.of(), ig.unused(java.util.List.of("steps", "baselineImage"),
                ig.options(Map.of("baseline", "image"), Map.of("baselineImage", grey))));
        assertEquals(Map.of(), Explainers.named("occlusion").unused(java.util.List.of("window", "stride"), Occlusion.Options.DEFAULTS));
    }

    @Test
    void countsThatMultiplyTheRowsHaveACap() {
        var ig = assertThrows(InvalidOptionException.class, () -> Explainers.named("integrated-gradients").options(Map.of("steps", "10001")));
        assertEquals("steps", ig.option());
        assertEquals("steps must be at most 10000, got 10001", ig.getMessage());
        for (String noisy : new String[] {"smoothgrad", "vargrad"}) {
            var e = assertThrows(InvalidOptionException.class, () -> Explainers.named(noisy).options(Map.of("samples", "2000000000")));
            assertEquals("samples", e.option(), noisy);
        }
        assertEquals(10_000, ((IntegratedGradients.Options) Explainers.named("integrated-gradients").options(Map.of("steps", "10000"))).steps());
    }
}
