package dev.fovea.explain;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered attribution method against the properties any method must have, on the bundled LeNet-5 and the
 * first fixture images: the documented shape, finite values, the input untouched, the same seed giving the same
 * maps, results independent of the internal batch size, and (for the seeded ones) another seed giving other maps.
 * A registered method missing from {@link #TABLE} fails the build.
 */
class AttributionPropertiesTest {
    /** Each method, whether it draws random numbers, and its options for the test (small, to stay fast), as named values. */
    static final List<Object[]> TABLE = List.of(
            new Object[] {"saliency", false, base("saliency")},
            new Object[] {"gradient-x-input", false, base("gradient-x-input")},
            new Object[] {"smoothgrad", true, base("smoothgrad", "samples", "5")},
            new Object[] {"vargrad", true, base("vargrad", "samples", "5")},
            new Object[] {"integrated-gradients", false, base("integrated-gradients", "steps", "6")},
            new Object[] {"integrated-gradients", true, base("integrated-gradients", "steps", "6", "baseline", "uniform")},
            new Object[] {"grad-cam", false, base("grad-cam")},
            new Object[] {"grad-cam++", false, base("grad-cam++")},
            new Object[] {"occlusion", false, base("occlusion", "window", "7", "stride", "7")},
            new Object[] {"deep-lift", false, base("deep-lift")},
            new Object[] {"deep-lift", true, base("deep-lift", "baseline", "uniform")},
            new Object[] {"deep-lift-shap", true, base("deep-lift-shap", "references", "3")},
            new Object[] {"gradient-shap", true, base("gradient-shap", "references", "3", "draws", "4", "stdevs", "0.05")},
            new Object[] {"guided-backprop", false, base("guided-backprop")},
            new Object[] {"guided-grad-cam", false, base("guided-grad-cam")},
            new Object[] {"lrp", false, base("lrp")},
            new Object[] {"lrp", false, base("lrp", "lrpRule", "alpha-beta", "alpha", "2", "beta", "1")},
            new Object[] {"xgrad-cam", false, base("xgrad-cam")},
            new Object[] {"layer-cam", false, base("layer-cam")},
            new Object[] {"score-cam", false, base("score-cam")},
            new Object[] {"eigen-cam", false, base("eigen-cam")},
            new Object[] {"ablation-cam", false, base("ablation-cam")},
            new Object[] {"feature-ablation", false, base("feature-ablation", "segments", "25")},
            new Object[] {"feature-ablation", false, base("feature-ablation", "segmentation", "grid", "cell", "7")},
            new Object[] {"lime", true, base("lime", "segments", "25", "samples", "30")},
            new Object[] {"lime", true, base("lime", "segmentation", "grid", "cell", "7", "samples", "30", "surrogate", "ridge")},
            new Object[] {"kernel-shap", true, base("kernel-shap", "segments", "25", "samples", "30")});

    static Classifier model;
    static Tensor x;
    static int[] y;

    static ExplainConfig base(String method, String... values) {
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            named.put(values[i], values[i + 1]);
        }
        return ExplainConfig.of(Explainers.named(method).options(named)).withSeed(11);
    }

    @BeforeAll
    static void load() throws IOException {
        model = new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), 64);
        Dataset d = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(5);
        x = d.images();
        y = d.labels();
    }

    static List<Object[]> table() {
        return TABLE;
    }

    @Test
    void everyRegisteredMethodIsInTheTable() {
        Set<String> registered = new TreeSet<>(Explainers.names());
        Set<String> tested = new TreeSet<>();
        TABLE.forEach(r -> tested.add((String) r[0]));
        assertEquals(registered, tested);
    }

    @ParameterizedTest(name = "{0} seeded={1}")
    @MethodSource("table")
    void shapeInputDeterminismAndBatchSize(String name, boolean seeded, ExplainConfig cfg) {
        Attribution a = Explainers.named(name);
        Tensor before = x.copy();
        AttributionResult r = a.attribute(model, x, y, cfg.withBatchSize(64));
        assertArrayEquals(before.data(), x.data(), name + ": input untouched");
        assertEquals(a.kind().shape(x.shape()), r.maps().shape(), name + ": shape");
        assertTrue(r.maps().allFinite(), name + ": finite");
        assertEquals(x.dim(0), r.scores().length, name + ": one score per sample");
        boolean nonZero = false;
        for (float v : r.maps().data()) {
            nonZero |= v != 0;
            if (!a.signed()) {
                assertTrue(v >= 0, name + ": unsigned map has " + v);
            }
        }
        assertTrue(nonZero, name + ": all-zero maps");
        assertArrayEquals(r.maps().data(), a.attribute(model, x, y, cfg.withBatchSize(64)).maps().data(), name + ": same seed, same maps");
        for (int batch : new int[] {1, 3}) {
            AttributionResult b = a.attribute(model, x, y, cfg.withBatchSize(batch));
            assertArrayEquals(r.maps().data(), b.maps().data(), name + ": batch " + batch);
            assertArrayEquals(r.scores(), b.scores(), name + ": scores at batch " + batch);
            if (r.hasDeltas()) {
                assertArrayEquals(r.deltas(), b.deltas(), name + ": deltas at batch " + batch);
            }
        }
        AttributionResult other = a.attribute(model, x, y, cfg.withSeed(cfg.seed() + 1));
        if (seeded) {
            assertFalse(java.util.Arrays.equals(r.maps().data(), other.maps().data()), name + ": another seed gives other maps");
        } else {
            assertArrayEquals(r.maps().data(), other.maps().data(), name + ": the seed does not matter");
        }
        assertNotNull(a.describe());
        assertTrue(a.kind() != Attribution.Kind.LAYER || r.layer() != null, name + ": a layer method names its layer");
    }

    @Test
    void theFirstSamplesMapsDoNotDependOnTheOthers() {
        for (Object[] row : TABLE) {
            Attribution a = Explainers.named((String) row[0]);
            ExplainConfig cfg = (ExplainConfig) row[2];
            Tensor all = a.attribute(model, x, y, cfg).maps();
            Tensor first = a.attribute(model, x.slice(0, 1), new int[] {y[0]}, cfg).maps();
            assertArrayEquals(first.data(), all.slice(0, 1).data(), a.name());
        }
    }
}
