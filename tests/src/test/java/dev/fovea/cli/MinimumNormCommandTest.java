package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea attack} with minimum-norm and sparse attacks: minimal perturbations per sample, summary and plot. */
class MinimumNormCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    @Test
    void deepFoolReportsMinimalPerturbations() throws IOException {
        Path out = dir.resolve("df");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "20", "--method", "deepfool",
                "--eps", "0,0.5,1", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("minimal l2 perturbation: found for"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        assertEquals("l2", j.get("norm").asText());
        JsonNode mp = j.get("minimal_perturbation");
        assertEquals(20, mp.get("n").asInt());
        assertTrue(mp.get("success_rate").asDouble() > 0.9, mp.toString());
        double last = 0;
        for (String p : new String[] {"p10", "p25", "p50", "p75", "p90"}) {
            assertTrue(mp.get(p).asDouble() >= last, "percentiles ascend: " + mp);
            last = mp.get(p).asDouble();
        }
        assertTrue(Files.size(out.resolve(mp.get("plot").asText())) > 1000);
        List<String> lines = Files.readAllLines(out.resolve("samples.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertTrue(header.contains("minimal_eps"), lines.get(0));
        assertEquals(1 + 3 * 20, lines.size());
        int fooledWithin = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double eps = Double.parseDouble(f[header.indexOf("eps")]);
            String m = f[header.indexOf("minimal_eps")];
            double minimal = m.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m);
            assertTrue(Double.parseDouble(f[header.indexOf("l2")]) <= eps + 1e-6, "inside the ball: " + line);
            if (minimal <= eps) {
                fooledWithin++;
                assertTrue(Boolean.parseBoolean(f[header.indexOf("success")]), "a minimal norm within eps fools the model: " + line);
            }
        }
        assertTrue(fooledWithin > 0);
        for (JsonNode e : j.get("results")) {
            double fromMinimal = e.get("robust_accuracy_from_minimal_norm").asDouble();
            assertTrue(e.get("robust_accuracy").asDouble() <= fromMinimal + 1e-12, e.toString());
        }
        double robustAt1 = j.get("results").get(2).get("robust_accuracy").asDouble();
        assertTrue(robustAt1 < j.get("clean_accuracy").asDouble());
    }

    @Test
    void fixedBudgetAttacksLeaveTheMinimalEpsilonEmpty() throws IOException {
        Path out = dir.resolve("fgsm");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "4", "--method", "fgsm",
                "--eps", "0.05", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("samples.csv"));
        int minimal = List.of(lines.get(0).split(",")).indexOf("minimal_eps");
        for (String line : lines.subList(1, lines.size())) {
            assertEquals("", line.split(",", -1)[minimal], line);
        }
        assertFalse(new ObjectMapper().readTree(out.resolve("attack.json").toFile()).has("minimal_perturbation"));
    }

    @Test
    void jsmaTakesAFractionOfPixels() throws IOException {
        Path out = dir.resolve("jsma");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "6", "--method", "jsma",
                "--eps", "0.05", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        assertEquals("l0", j.get("norm").asText());
        assertTrue(j.get("results").get(0).get("l0").get("max").asDouble() <= Math.floor(0.05 * 784));
    }

    private void usage(String fragment, String... extra) {
        String[] base = {"attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "4", "--out", dir.resolve("o").toString()};
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
        usage("cw works in l2, got linf", "--method", "cw", "--norm", "linf");
        usage("jsma works in l0, got l2", "--method", "jsma", "--norm", "l2");
        usage("pgd works in linf or l2, got l0", "--method", "pgd", "--norm", "l0");
        usage("--norm must be linf, l2 or l0", "--norm", "l3");
        usage("--eps", "--method", "jsma", "--eps", "1.5");
        usage("--eps", "--method", "deepfool", "--norm", "l2", "--eps", "-1");
        usage("--eps", "--eps", "NaN");
        usage("class -1 does not exist", "--targeted", "-1");
        usage("--steps must be at least 1", "--method", "deepfool", "--steps", "0");
        usage("--steps must be at least 1", "--method", "cw", "--steps", "-3");
    }
}
