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

/** The train, eval and inspect commands end to end on the bundled data. */
class CommandLineTest {
    static final String SLICE = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @TempDir
    Path dir;

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code(), r.toString());
        for (String c : new String[] {"train", "eval", "inspect"}) {
            assertTrue(r.out().contains(c), r.toString());
        }
    }

    @Test
    void versionPrintsTheVersion() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("fovea "), r.out());
    }

    @Test
    void trainThenEvalThenInspect() throws IOException {
        Path model = dir.resolve("lenet.fovea");
        CliRun t = CliRun.of("train", "--arch", "lenet5", "--data", SLICE, "--limit", "300", "--epochs", "2", "--batch-size", "32",
                "--seed", "3", "--out", model.toString());
        assertEquals(0, t.code(), t.toString());
        assertTrue(t.out().contains("epoch 2/2"), t.out());
        assertTrue(Files.isRegularFile(model));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left beside the model");
        }

        Path json = dir.resolve("eval.json");
        CliRun e = CliRun.of("eval", "--model", model.toString(), "--data", SLICE, "--json", json.toString());
        assertEquals(0, e.code(), e.toString());
        assertTrue(e.out().contains("accuracy") && e.out().contains("Ankle boot"), e.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(1000, j.get("n").asInt());
        double acc = j.get("accuracy").asDouble();
        assertTrue(acc > 0.3 && acc <= 1.0, "accuracy " + acc);
        assertEquals(10, j.get("per_class").size());
        assertEquals(10, j.get("confusion").size());
        long total = 0;
        for (JsonNode row : j.get("confusion")) {
            for (JsonNode v : row) {
                total += v.asLong();
            }
        }
        assertEquals(1000, total);
        assertEquals(64, j.get("model_sha256").asText().length());

        CliRun i = CliRun.of("inspect", "--model", model.toString());
        assertEquals(0, i.code(), i.toString());
        assertTrue(i.out().contains("61,706 parameters"), i.out());
        assertTrue(i.out().contains("conv2d 1->6 k5 s1 p2"), i.out());
        assertTrue(i.out().contains("16x16"), "receptive field of LeNet-5's last conv stage: " + i.out());
    }

    @Test
    void provenanceIsRecorded() throws IOException {
        Path model = dir.resolve("m.fovea");
        CliRun t = CliRun.of("train", "--arch", "mlp", "--data", SLICE, "--limit", "64", "--epochs", "1", "--seed", "5", "-q",
                "--out", model.toString());
        assertEquals(0, t.code(), t.toString());
        CliRun i = CliRun.of("inspect", "-m", model.toString());
        assertTrue(i.out().contains("seed 5"), i.out());
        assertTrue(i.out().contains("--arch mlp"), i.out());
    }

    @Test
    void sameSeedSameModelFile() throws IOException {
        Path a = dir.resolve("a.fovea");
        Path b = dir.resolve("b.fovea");
        for (Path p : new Path[] {a, b}) {
            CliRun t = CliRun.of("train", "--arch", "mlp", "--data", SLICE, "--limit", "96", "--epochs", "1", "--seed", "8", "-q",
                    "--out", p.toString());
            assertEquals(0, t.code(), t.toString());
        }
        var wa = dev.fovea.model.ModelFile.load(a).params();
        var wb = dev.fovea.model.ModelFile.load(b).params();
        for (int k = 0; k < wa.size(); k++) {
            assertTrue(java.util.Arrays.equals(wa.get(k).value().data(), wb.get(k).value().data()), "parameter " + k);
        }
        assertFalse(wa.isEmpty());
    }
}
