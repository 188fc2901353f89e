package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea bench} on a tiny batch for a fraction of a second: the table, the loops and the JSON. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void tableLoopsAndJson() throws Exception {
        Path json = dir.resolve("bench.json");
        String model = FixturePaths.fixture("models", "lenet5.fovea").toString();
        CliRun r = CliRun.of("bench", "--arch", "lenet5", "--batch-size", "4", "--seconds", "0.05", "--loops", "--model", model,
                "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("lenet5   train"), r.toString());
        assertTrue(r.out().contains("pgd-20 linf eps 8/255"), r.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, root.get("results").size());
        for (JsonNode n : root.get("results")) {
            assertTrue(n.get("own_images_per_s").asDouble() > 0 && n.get("libtorch_images_per_s").asDouble() > 0, n.toString());
        }
        JsonNode loop = root.get("loops").get(0);
        assertEquals("pgd-20 linf eps 8/255", loop.get("loop").asText());
        assertTrue(loop.get("own_images_per_s").asDouble() > 0 && loop.get("libtorch_images_per_s").asDouble() > 0, loop.toString());
        assertEquals(64, root.get("loops_model_sha256").asText().length());
    }

    @Test
    void missingLoopModelIsOneLineAndExitThree() {
        CliRun r = CliRun.of("bench", "--loops", "--model", dir.resolve("none.fovea").toString());
        assertEquals(3, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("none.fovea"), r.toString());
    }
}
