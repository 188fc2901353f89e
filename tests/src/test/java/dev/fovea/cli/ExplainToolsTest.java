package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end tests of the visualisation and trust-check subcommands of {@code fovea explain}: what they write, and
 * one clear line with exit code 2 (bad options) or 3 (unusable input) when something is wrong.
 */
class ExplainToolsTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String TORCHSCRIPT = FixturePaths.fixture("golden", "lenet5", "lenet5.pt").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @TempDir
    Path dir;

    private static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    private static void assertFiles(Path out, String... names) {
        for (String n : names) {
            assertTrue(Files.isRegularFile(out.resolve(n)), "missing " + n);
        }
    }

    private static void assertOneLine(CliRun r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in " + r);
        }
    }

    @Test
    void visualizeWritesImagesGridAndSummary() throws IOException {
        Path out = dir.resolve("vis");
        CliRun r = CliRun.of("explain", "visualize", "--model", MODEL, "--class", "Trouser,Bag", "--starts", "2", "--steps", "24",
                "--data", DATA, "--limit", "100", "--seed", "3", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertFiles(out, "visualize.json", "images.npy", "grid.png", "starts.png", "objective.png");
        JsonNode j = json(out.resolve("visualize.json"));
        assertEquals(3, j.get("seed").asInt());
        assertEquals(64, j.get("model_sha256").asText().length());
        assertEquals(64, j.get("data_sha256").asText().length());
        assertEquals(4, j.get("images").size());
        for (JsonNode im : j.get("images")) {
            assertTrue(im.get("value").asDouble() > im.get("initial").asDouble() + 3, im.toString());
        }
    }

    @Test
    void visualizeAChannelWithTheFourierParameterization() throws IOException {
        Path out = dir.resolve("fourier");
        CliRun r = CliRun.of("explain", "visualize", "--model", MODEL, "--channel", "3:1", "--param", "fourier", "--starts", "1", "--steps", "16",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = json(out.resolve("visualize.json"));
        assertEquals("fourier", j.get("options").get("param").asText());
        assertEquals(0.01, j.get("options").get("lr").asDouble(), 1e-12, "the Fourier parameterisation's default learning rate");
        JsonNode im = j.get("images").get(0);
        assertTrue(im.get("value").asDouble() > im.get("initial").asDouble(), im.toString());
    }

    @Test
    void visualizeBadOptionsExitTwoWithOneLine() {
        Path out = dir.resolve("bad");
        assertOneLine(CliRun.of("explain", "visualize", "--model", MODEL, "--channel", "nope:1", "--out", out.toString()), 2,
                "unknown layer 'nope'", "layers: 0");
        assertOneLine(CliRun.of("explain", "visualize", "--model", MODEL, "--class", "Hat", "--out", out.toString()), 2, "unknown class 'Hat'");
        assertOneLine(CliRun.of("explain", "visualize", "--model", MODEL, "--l2", "-1", "--out", out.toString()), 2, "--l2 must be >= 0");
        assertOneLine(CliRun.of("explain", "visualize", "--model", MODEL, "--class", "Bag", "--channel", "0:1", "--out", out.toString()), 2,
                "one of --class, --channel and --neuron");
        assertOneLine(CliRun.of("explain", "visualize", "--model", MODEL, "--neuron", "0:999999", "--out", out.toString()), 2, "outside");
        assertFalse(Files.exists(out.resolve("visualize.json")));
    }

    @Test
    void planeWritesTheSequenceAndReachesItsAccuracy() throws IOException {
        Path out = dir.resolve("plane");
        CliRun r = CliRun.of("explain", "plane", "--data", "moons", "--wide", "16", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertFiles(out, "plane_00_input.png", "plane_01_affine_1.png", "plane_02_relu_1.png", "plane_07_logits.png", "sequence.png",
                "contrast.png", "plane.json", "points.npy", "stages.npy", "narrow.fovea", "wide.fovea");
        JsonNode j = json(out.resolve("plane.json"));
        assertTrue(j.get("narrow").get("accuracy").asDouble() >= 0.97, j.toString());
        assertEquals(8, j.get("narrow").get("stages").size());
        assertOneLine(CliRun.of("explain", "plane", "--data", "circles", "--out", out.toString()), 2, "moons or spirals");
        assertOneLine(CliRun.of("explain", "plane", "--widths", "2,0", "--out", out.toString()), 2, "--widths");
        assertOneLine(CliRun.of("explain", "plane", "--noise", "-0.5", "--out", out.toString()), 2, "noise");
    }

    @Test
    void anatomyFiltersFeaturesAndTopImages() throws IOException {
        Path f = dir.resolve("filters");
        CliRun r = CliRun.of("explain", "filters", "--model", MODEL, "--out", f.toString());
        assertEquals(0, r.code(), r.toString());
        assertFiles(f, "filters.png", "filters.npy", "filters.json");
        assertEquals("0", json(f.resolve("filters.json")).get("layer").asText());
        assertOneLine(CliRun.of("explain", "filters", "--model", TORCHSCRIPT, "--out", f.toString()), 3, "not reachable");

        Path fe = dir.resolve("features");
        r = CliRun.of("explain", "features", "--model", MODEL, "--layer", "1", "--data", DATA, "--index", "3", "--out", fe.toString());
        assertEquals(0, r.code(), r.toString());
        assertFiles(fe, "features.png", "features.npy", "features.json");
        assertOneLine(CliRun.of("explain", "features", "--model", MODEL, "--layer", "zz", "--data", DATA, "--out", fe.toString()), 2,
                "unknown layer 'zz'");

        Path t = dir.resolve("top");
        r = CliRun.of("explain", "top", "--model", MODEL, "--layer", "1", "--channel", "2", "--data", DATA, "--limit", "60", "-k", "4",
                "--out", t.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertFiles(t, "top.png", "top.npy", "top.json");
        JsonNode j = json(t.resolve("top.json"));
        assertEquals(4, j.get("top").size());
        double prev = Double.POSITIVE_INFINITY;
        for (JsonNode item : j.get("top")) {
            assertTrue(item.get("activation").asDouble() <= prev, "sorted by activation");
            prev = item.get("activation").asDouble();
            JsonNode box = item.get("box");
            int size = j.get("receptive_field").get("size").asInt();
            assertTrue(box.get(2).asInt() - box.get(0).asInt() + 1 <= size, "box within the receptive field: " + item);
        }
        assertOneLine(CliRun.of("explain", "top", "--model", MODEL, "--layer", "1", "--channel", "99", "--data", DATA, "--out", t.toString()), 2,
                "--channel must be in");
    }

    @Test
    void sanityCheckAndDeletionCurves() throws IOException {
        Path s = dir.resolve("sanity");
        CliRun r = CliRun.of("explain", "sanity", "--model", MODEL, "--data", DATA, "--limit", "3", "--method", "saliency,gradient-x-input",
                "--out", s.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertFiles(s, "sanity.json", "sanity.csv", "sanity.png", "maps.png", "maps_saliency.npy", "maps_gradient-x-input.npy");
        JsonNode j = json(s.resolve("sanity.json"));
        assertEquals(j.get("cascade").size(), j.get("methods").get("saliency").size());
        assertOneLine(CliRun.of("explain", "sanity", "--model", TORCHSCRIPT, "--data", DATA, "--method", "saliency", "--out", s.toString()), 3,
                "cannot be randomised");
        assertOneLine(CliRun.of("explain", "sanity", "--model", MODEL, "--data", DATA, "--method", "magic", "--out", s.toString()), 2,
                "--method: expected one of saliency, gradient-x-input");

        Path d = dir.resolve("deletion");
        r = CliRun.of("explain", "deletion", "--model", MODEL, "--data", DATA, "--limit", "12", "--method", "gradient-x-input",
                "--points", "14", "--out", d.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertFiles(d, "deletion.json", "deletion.png", "insertion.png", "deletion_gradient-x-input.npy", "deletion_random.npy");
        JsonNode auc = json(d.resolve("deletion.json")).get("auc");
        assertTrue(auc.get("deletion").get("gradient-x-input").asDouble() < auc.get("deletion").get("random").asDouble(), auc.toString());
        assertOneLine(CliRun.of("explain", "deletion", "--model", MODEL, "--data", DATA, "--method", "saliency", "--mode", "sideways",
                "--out", d.toString()), 2, "--mode");
        assertOneLine(CliRun.of("explain", "deletion", "--model", MODEL, "--data", DATA, "--method", "saliency", "--points", "0",
                "--out", d.toString()), 2, "--points");
    }

    @Test
    void explanationRobustnessUnderASmallPgdBudget() throws IOException {
        Path out = dir.resolve("robustness");
        CliRun r = CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--limit", "8", "--method", "saliency,feature-ablation",
                "--segmentation", "grid", "--cell", "7", "--eps", "0.01", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("under pgd eps 0.01") && r.out().lines().anyMatch(l -> l.startsWith("feature-ablation ")), r.out());
        assertFiles(out, "robustness.json", "robustness.csv", "robustness.png");
        JsonNode j = json(out.resolve("robustness.json"));
        assertEquals(8, j.get("n").asInt());
        assertEquals(2, j.get("methods").size());
        assertEquals(7, j.get("methods").get(1).get("options").get("cell").asInt());
        assertEquals("explain robustness", j.get("provenance").get("command").asText());
        double rho = j.get("methods").get(0).get("mean_spearman").asDouble();
        assertTrue(rho > 0 && rho < 1, "saliency moves a little: " + rho);
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--method", "saliency", "--eps", "0",
                "--out", out.toString()), 2, "--eps must be in (0,1]");
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--limit", "4", "--method", "saliency", "--eps", "0.9",
                "--out", out.toString()), 2, "--eps: pgd eps 0.9 changes the prediction of every one of the 4 images");
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--method", "saliency", "--perturbation", "corruption",
                "--severity", "9", "--out", out.toString()), 2, "--severity must be in [1,5], got 9");
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--method", "saliency", "--top-fraction", "2",
                "--out", out.toString()), 2, "--top-fraction must be in (0,1], got 2");
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--method", "saliency", "--perturbation", "sideways",
                "--out", out.toString()), 2, "--perturbation");
        assertOneLine(CliRun.of("explain", "robustness", "--model", MODEL, "--data", DATA, "--method", "lime", "--samples", "0",
                "--out", out.toString()), 2, "--samples must be in [1,10000], got 0");
    }
}
