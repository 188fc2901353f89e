package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.nn.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea attack --diagnostics}: the pass/warn table and the {@code diagnostics} array of attack.json. */
class AttackDiagnosticsTest {
    @TempDir
    Path dir;

    private Map<String, JsonNode> diagnose(String model, Path out) throws IOException {
        CliRun r = CliRun.of("attack", "-m", model, "--data", CommandLineTest.SLICE, "--limit", "40", "--method", "fgsm",
                "--eps", "0,0.05,0.1", "--diagnostics", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("gradient-masking diagnostics"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode c : j.get("diagnostics")) {
            assertTrue(List.of("pass", "warn").contains(c.get("status").asText()), c.toString());
            assertFalse(c.get("evidence").asText().isBlank());
            assertTrue(c.get("numbers").size() > 0, c.toString());
            assertTrue(r.out().contains(c.get("name").asText()), r.out());
            byName.put(c.get("name").asText(), c);
        }
        assertTrue(byName.keySet().containsAll(List.of("monotone", "large_eps", "iterative_vs_single", "gradients", "restarts")), byName.toString());
        return byName;
    }

    @Test
    void theBundledModelPassesEveryCheck() throws IOException {
        Map<String, JsonNode> d = diagnose(FixturePaths.fixture("models", "lenet5.fovea").toString(), dir.resolve("ok"));
        d.values().forEach(c -> assertEquals("pass", c.get("status").asText(), c.toString()));
        assertEquals(3, d.get("monotone").get("numbers").get("robust_accuracy").size());
    }

    @Test
    void logitsScaledUpWarn() throws IOException {
        // The same LeNet-5 with its last layer scaled by 1e4: identical predictions, a saturated softmax.
        Network net = ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea"));
        List<Param> ps = net.params();
        for (Param p : ps.subList(ps.size() - 2, ps.size())) {
            float[] w = p.value().data();
            for (int i = 0; i < w.length; i++) {
                w[i] *= 1e4f;
            }
        }
        Path masked = dir.resolve("saturated.fovea");
        ModelFile.save(net, masked);
        Map<String, JsonNode> d = diagnose(masked.toString(), dir.resolve("masked"));
        assertEquals("warn", d.get("gradients").get("status").asText(), d.toString());
        assertEquals("warn", d.get("large_eps").get("status").asText(), d.toString());
        assertEquals("warn", d.get("white_vs_black").get("status").asText(), d.toString());
    }

    @Test
    void noPositiveBudgetIsAUsageError() {
        CliRun r = CliRun.of("attack", "-m", FixturePaths.fixture("models", "lenet5.fovea").toString(), "--data", CommandLineTest.SLICE,
                "--limit", "8", "--eps", "0", "--diagnostics", "--out", dir.resolve("o").toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.err().contains("--diagnostics needs at least one positive --eps"), r.toString());
    }
}
