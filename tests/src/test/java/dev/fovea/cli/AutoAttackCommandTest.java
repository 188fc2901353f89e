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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APGD, Square and the ensemble through {@code fovea attack}, on the bundled LeNet-5 with few steps. */
class AutoAttackCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    private JsonNode attack(String method, String norm, String eps, String steps) throws IOException {
        Path out = dir.resolve(method + norm);
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "16", "--method", method, "--norm", norm,
                "--eps", eps, "--steps", steps, "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains(method), r.out());
        return new ObjectMapper().readTree(out.resolve("attack.json").toFile());
    }

    @Test
    void apgdAndTheEnsembleLowerAccuracyWithinTheBudget() throws IOException {
        for (String method : new String[] {"apgd-ce", "apgd-t", "autoattack"}) {
            JsonNode j = attack(method, "linf", "0,0.05", "5");
            assertEquals(method, j.get("method").asText());
            assertEquals(5, j.get("steps").asInt());
            JsonNode at = j.get("results").get(1);
            assertTrue(at.get("robust_accuracy").asDouble() < j.get("clean_accuracy").asDouble() - 0.2, method + ": " + at);
            assertTrue(at.get("linf").get("max").asDouble() <= 0.05 + 1e-6, method + ": " + at);
            if (method.equals("autoattack")) {
                int sum = 0;
                for (var part : (Iterable<java.util.Map.Entry<String, JsonNode>>) at.get("fooled_by")::fields) {
                    sum += part.getValue().asInt();
                }
                assertEquals(16, sum, at.toString());
                assertEquals(Math.round(16 * (1 - at.get("robust_accuracy").asDouble())), 16 - at.get("fooled_by").path("none").asInt(), at.toString());
            }
        }
    }

    @Test
    void listDescribesTheNewMethods() {
        CliRun r = CliRun.of("attack", "--list");
        assertEquals(0, r.code());
        for (String m : new String[] {"apgd-ce", "apgd-dlr", "apgd-t", "square", "autoattack"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m + " ") && l.contains("Croce") | l.contains("Andriushchenko")), r.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("square ") && l.contains("black box")), r.out());
    }

    @Test
    void squareCountsItsQueriesPerSample() throws IOException {
        JsonNode j = attack("square", "l2", "1.5", "100");
        JsonNode at = j.get("results").get(0);
        assertTrue(at.get("l2").get("max").asDouble() <= 1.5 + 1e-5, at.toString());
        double q = at.get("mean_queries").asDouble();
        assertTrue(q >= 1 && q <= 100, "mean queries " + q);
        List<String> rows = Files.readAllLines(dir.resolve("squarel2").resolve("samples.csv"));
        assertEquals(17, rows.size());
        List<String> header = List.of(rows.get(0).split(","));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            long queries = Long.parseLong(f[header.indexOf("queries")]);
            boolean misclassified = !f[header.indexOf("label")].equals(f[header.indexOf("clean_pred")]);
            assertTrue(misclassified ? queries == 1 : queries >= 1 && queries <= 100, row);
        }
    }
}
