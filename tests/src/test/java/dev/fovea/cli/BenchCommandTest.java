package dev.fovea.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea bench} on a tiny batch for a fraction of a second: the table, the peak, the layer kinds, the loops and
 * the JSON, to a file or to standard output.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void tableLoopsAndJson() throws Exception {
        Path json = dir.resolve("bench.json");
        String model = FixturePaths.fixture("models", "lenet5.fovea").toString();
        CliRun r = CliRun.of("bench", "--arch", "lenet5", "--batch-size", "4", "--seconds", "0.05", "--rounds", "2", "--warmup", "0.02",
                "--loops", "pgd-20,ig-64", "--loop-images", "3,ig-64=2", "--loop-rounds", "2", "--model", model, "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("lenet5   train"), r.toString());
        assertTrue(r.out().contains("GFLOP/s measured"), r.toString());
        assertTrue(r.out().matches("(?s).*\\npgd-20 +3 .*"), r.toString());
        assertTrue(r.out().contains("lenet5   inference       direct conv"), r.toString());
        assertTrue(root(json).get("memory_gb_per_s_measured").asDouble() > 0, r.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.get("rounds").asInt());
        assertTrue(root.get("peak_gflops_measured").asDouble() > 0 && root.get("peak_gflops_nominal").asDouble() > 0, root.toString());
        assertEquals(3, root.get("results").size());
        for (JsonNode n : root.get("results")) {
            assertTrue(n.get("own_images_per_s").asDouble() > 0 && n.get("libtorch_images_per_s").asDouble() > 0, n.toString());
            assertMedianOfRounds(n);
            JsonNode kinds = n.get("own_by_layer_kind");
            double share = 0;
            for (String k : new String[] {"direct conv", "linear", "pooling", "element-wise"}) {
                assertTrue(kinds.has(k), k + " in " + kinds);
                share += kinds.get(k).get("share_of_time").asDouble();
                assertTrue(kinds.get(k).get("gflops").asDouble() > 0 && kinds.get(k).get("of_bandwidth").asDouble() > 0, kinds.toString());
            }
            assertEquals(1, share, 1e-9, "a LeNet-5 has these four kinds only: " + kinds);
        }
        assertEquals(2, root.get("loops").size());
        assertEquals("pgd-20", root.get("loops").get(0).get("loop").asText());
        assertEquals(3, root.get("loops").get(0).get("images").asInt());
        assertEquals("ig-64", root.get("loops").get(1).get("loop").asText());
        assertEquals(2, root.get("loops").get(1).get("images").asInt());
        for (JsonNode loop : root.get("loops")) {
            assertTrue(loop.get("own_images_per_s").asDouble() > 0 && loop.get("libtorch_images_per_s").asDouble() > 0, loop.toString());
            assertMedianOfRounds(loop);
        }
        assertEquals(64, root.get("loops_model_sha256").asText().length());
    }

    @Test
    void jsonToStandardOutputIsTheJsonAlone() throws Exception {
        CliRun r = CliRun.of("bench", "--arch", "mlp", "--batch-size", "4", "--seconds", "0.02", "--rounds", "1", "--warmup", "0", "--json", "-");
        assertEquals(0, r.code(), r.toString());
        JsonNode root = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(r.out());
        assertEquals(3, root.get("results").size(), "no table before or after the JSON: " + r.out());
        assertEquals("mlp", root.get("results").get(0).get("arch").asText());
    }

    private static JsonNode root(Path json) throws java.io.IOException {
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void noStepsTimesTheLoopsAlone() throws Exception {
        String model = FixturePaths.fixture("models", "lenet5.fovea").toString();
        CliRun r = CliRun.of("bench", "--no-steps", "--loops", "square", "--loop-images", "2", "--batch-size", "2", "--model", model, "--json", "-");
        assertEquals(0, r.code(), r.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(0, root.get("results").size(), root.toString());
        assertEquals(1, root.get("loops").size(), root.toString());
        assertEquals("square", root.get("loops").get(0).get("loop").asText());
        assertTrue(root.get("loops").get(0).get("own_peak_heap_mib").asDouble() > 0, root.toString());
    }

    @Test
    void aTorchScriptOfAnotherShapeIsOneLineAndExitTwo() {
        String model = FixturePaths.fixture("models", "lenet5.fovea").toString();
        String other = FixturePaths.fixture("models", "cifar10-resnet20.pt").toString();
        CliRun r = CliRun.of("bench", "--no-steps", "--loops", "square", "--model", model, "--torchscript", other);
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--torchscript: ") && r.err().contains("[3,32,32]") && r.err().contains("[1,28,28]"), r.toString());
    }

    @Test
    void badLoopImagesAreOneLineAndExitTwo() {
        for (String bad : new String[] {"0", "256,pgd=3", "256,cw", "x"}) {
            CliRun r = CliRun.of("bench", "--loops", "all", "--loop-images", bad);
            assertEquals(2, r.code(), bad + ": " + r);
            assertEquals(1, r.errLines(), bad + ": " + r);
            assertTrue(r.err().contains("--loop-images"), bad + ": " + r);
        }
        CliRun data = CliRun.of("bench", "--data", "x");
        assertEquals(2, data.code(), data.toString());
        assertTrue(data.err().contains("--data is for --loops"), data.toString());
    }

    /** Two rounds per backend, and the figure is their mean (the median of two). */
    private static void assertMedianOfRounds(JsonNode n) {
        for (String backend : new String[] {"own", "libtorch"}) {
            JsonNode rounds = n.get(backend + "_images_per_s_rounds");
            assertEquals(2, rounds.size(), n.toString());
            assertEquals((rounds.get(0).asDouble() + rounds.get(1).asDouble()) / 2, n.get(backend + "_images_per_s").asDouble(), 1e-9,
                    n.toString());
        }
    }

    @Test
    void zeroRoundsIsOneLineAndExitTwo() {
        CliRun r = CliRun.of("bench", "--rounds", "0");
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--rounds"), r.toString());
    }

    @Test
    void missingLoopModelIsOneLineAndExitThree() {
        CliRun r = CliRun.of("bench", "--loops", "all", "--model", dir.resolve("none.fovea").toString());
        assertEquals(3, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("none.fovea"), r.toString());
    }
}
