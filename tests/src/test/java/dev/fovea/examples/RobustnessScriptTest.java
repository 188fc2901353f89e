package dev.fovea.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's scripting example runs and writes a report whose numbers are those it printed. */
class RobustnessScriptTest {
    @TempDir
    Path dir;

    @Test
    void theExampleRunsAndWritesItsReport() throws Exception {
        Path root = FixturePaths.fixture("models").getParent().getParent();
        PrintStream was = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, "UTF-8"));
            RobustnessScript.main(new String[] {dir.resolve("report").toString(), root.toString()});
        } finally {
            System.setOut(was);
        }
        String printed = buf.toString("UTF-8");
        assertTrue(printed.contains("PGD eps 0.10: robust accuracy"), printed);
        JsonNode attack = new ObjectMapper().readTree(dir.resolve("report/attack.json").toFile());
        assertEquals(3, attack.get("results").size());
        assertEquals("pgd", attack.get("method").asText());
        assertEquals(100, attack.get("n").asInt());
        double robust = attack.get("results").get(2).get("robust_accuracy").asDouble();
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "PGD eps 0.10: robust accuracy %.3f", robust)), printed);
        JsonNode explain = new ObjectMapper().readTree(dir.resolve("report/explain.json").toFile());
        assertEquals(64, explain.get("options").get("steps").asInt());
        assertEquals("script", explain.get("provenance").get("command").asText());
        assertTrue(attack.get("provenance").get("seconds").has("attack"));
        assertTrue(attack.get("provenance").get("seconds").has("explain"), "each section's wall time is in the shared provenance");
        for (String f : new String[] {"robustness.png", "samples.csv", "attributions.npy", "grid.png", "adversarial_eps0.1.npy"}) {
            assertTrue(Files.size(dir.resolve("report").resolve(f)) > 0, f);
        }
    }
}
