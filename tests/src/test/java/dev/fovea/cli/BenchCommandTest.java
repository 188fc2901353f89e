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

/** {@code fovea bench} on a tiny batch for a fraction of a second: the table, the peak, the loops and the JSON, to a file or to standard output. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void tableLoopsAndJson() throws Exception {
        Path json = dir.resolve("bench.json");
        String model = FixturePaths.fixture("models", "lenet5.fovea").toString();
        CliRun r = CliRun.of("bench", "--arch", "lenet5", "--batch-size", "4", "--seconds", "0.05", "--rounds", "2", "--warmup", "0.02",
                "--loops", "--model", model, "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("lenet5   train"), r.toString());
        assertTrue(r.out().contains("GFLOP/s measured"), r.toString());
        assertTrue(r.out().contains("pgd-20 linf eps 8/255"), r.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.get("rounds").asInt());
        assertTrue(root.get("peak_gflops_measured").asDouble() > 0 && root.get("peak_gflops_nominal").asDouble() > 0, root.toString());
        assertEquals(3, root.get("results").size());
        for (JsonNode n : root.get("results")) {
            assertTrue(n.get("own_images_per_s").asDouble() > 0 && n.get("libtorch_images_per_s").asDouble() > 0, n.toString());
            assertMedianOfRounds(n);
        }
        assertTrue(r.out().contains("integrated-gradients 64 steps"), r.toString());
        assertEquals(2, root.get("loops").size());
        assertEquals("pgd-20 linf eps 8/255", root.get("loops").get(0).get("loop").asText());
        assertEquals("integrated-gradients 64 steps", root.get("loops").get(1).get("loop").asText());
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
        CliRun r = CliRun.of("bench", "--loops", "--model", dir.resolve("none.fovea").toString());
        assertEquals(3, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("none.fovea"), r.toString());
    }
}
