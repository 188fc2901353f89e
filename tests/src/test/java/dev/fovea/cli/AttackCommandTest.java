package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    @Test
    void writesResultsForEveryBudget() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "40", "--method", "fgsm",
                "--eps", "0.1,0,0.03", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        assertEquals("fgsm", j.get("method").asText());
        assertEquals("linf", j.get("norm").asText());
        assertEquals(3, j.get("results").size());
        double last = 1;
        for (JsonNode e : j.get("results")) {
            double acc = e.get("robust_accuracy").asDouble();
            assertTrue(acc <= last, "sorted budgets, accuracy never rises");
            last = acc;
            var adv = Npy.read(out.resolve(e.get("adversarial").asText()));
            assertArrayEquals(new int[] {40, 1, 28, 28}, adv.shape());
            assertTrue(e.get("linf").get("max").asDouble() <= e.get("eps").asDouble() + 1e-6);
        }
        assertEquals(j.get("clean_accuracy").asDouble(), j.get("results").get(0).get("robust_accuracy").asDouble(), 1e-12);
        assertEquals(1 + 3 * 40, Files.readAllLines(out.resolve("samples.csv")).size());
        assertTrue(Files.size(out.resolve("robustness.png")) > 1000);
        try (var files = Files.list(out)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("grid_eps")));
        }
    }

    @Test
    void listDescribesEveryMethod() {
        CliRun r = CliRun.of("attack", "--list");
        assertEquals(0, r.code());
        for (String m : new String[] {"fgsm", "fgm", "bim", "pgd", "mifgsm"}) {
            assertTrue(r.out().contains(m), r.out());
        }
    }

    private void usage(String fragment, String... extra) {
        String[] base = {"attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "8", "--out", dir.resolve("o").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertFalse(r.err().contains("\tat "));
        assertTrue(r.err().contains(fragment), r.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        usage("fovea attack: --method: expected one of fgsm, fgm, bim, pgd", "--method", "deepfoo");
        usage("got 'deepfoo'", "--method", "deepfoo");
        usage("--eps", "--eps", "1.5");
        usage("--eps", "--eps", "-0.1");
        usage("class 'Spaceship'", "--targeted", "Spaceship");
        usage("class 12 does not exist", "--targeted", "12");
        usage("--steps must be at least 1", "--steps", "0");
    }
}
