package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea batch} end to end on the fixture grid ({@code fixtures/batch/grid.yaml}: 9 cells on the bundled
 * models): the run itself, a run killed half-way by this test and resumed, two shards merged, each equal to the
 * uninterrupted run (results.csv byte for byte: it holds no times; every cell's metrics and file digests but the
 * reports, which hold their start time); failing cells; and each bad input one line with its exit code and no
 * folder left.
 */
class BatchCommandTest {
    static final Path GRID = FixturePaths.fixture("batch", "grid.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void uninterrupted() {
        reference = shared.resolve("reference");
        CliRun r = CliRun.of("batch", GRID.toString(), "--out", reference.toString(), "--threads", "2");
        assertEquals(Cli.OK, r.code(), r.toString());
    }

    @Test
    void theFixtureGridRunsEveryCell() throws IOException {
        JsonNode batch = JSON.readTree(reference.resolve("batch.json").toFile());
        assertEquals(9, batch.get("total").asInt());
        assertEquals(9, batch.get("ok").asInt());
        for (String f : List.of("index.html", "results.csv", "results.json", "charts/robust_accuracy_fgsm_linf.png", "charts/robust_accuracy_pgd_linf.png",
                "charts/corruption_error.png")) {
            assertTrue(Files.size(reference.resolve(f)) > 0, f);
        }
        List<String> lines = Files.readAllLines(reference.resolve("results.csv"));
        assertEquals("cell,type,model,data,seed,method,eps,corruption,severity,metric,value", lines.get(0));
        JsonNode rows = JSON.readTree(reference.resolve("results.json").toFile());
        assertEquals(lines.size() - 1, rows.size());
        // robust accuracy never rises with the budget, and equals clean accuracy at eps 0
        Map<String, TreeMap<Double, Double>> curves = new TreeMap<>();
        Map<String, Double> clean = new TreeMap<>();
        for (JsonNode row : rows) {
            String cell = row.get("cell").asText();
            if (row.get("metric").asText().equals("robust_accuracy")) {
                curves.computeIfAbsent(cell, k -> new TreeMap<>()).put(row.get("eps").asDouble(), row.get("value").asDouble());
            } else if (row.get("metric").asText().equals("clean_accuracy") && row.get("type").asText().equals("attack")) {
                clean.put(cell, row.get("value").asDouble());
            }
        }
        assertEquals(3, curves.size(), "convnet fgsm and pgd, lenet5 fgsm");
        for (Map.Entry<String, TreeMap<Double, Double>> c : curves.entrySet()) {
            assertEquals(clean.get(c.getKey()), c.getValue().get(0.0), c.getKey());
            double last = 1;
            for (double v : c.getValue().values()) {
                assertTrue(v <= last + 1e-12, c.getKey() + " " + c.getValue());
                last = v;
            }
        }
        String html = Files.readString(reference.resolve("index.html"));
        for (JsonNode s : batch.get("status")) {
            String link = "cells/" + s.get("id").asText() + "/" + s.get("page").asText();
            assertTrue(html.contains("href=\"" + link + "\""), link);
            assertTrue(Files.isRegularFile(reference.resolve(link)), link);
        }
    }

    @Test
    void aRunKilledHalfWayAndResumedEqualsTheUninterruptedRun() throws Exception {
        Path out = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "batch", GRID.toString(), "--out",
                out.toString(), "-q"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path cells = out.resolve("cells");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (committed(cells) < 4 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the child finished before it was killed: " + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly().waitFor();
        int done = committed(cells);
        assertTrue(done >= 4 && done < 9, done + " cells done when killed");
        assertFalse(Files.exists(out.resolve("batch.json")), "a killed run writes no merged outputs");

        CliRun again = CliRun.of("batch", GRID.toString(), "--out", out.toString(), "--resume");
        assertEquals(Cli.OK, again.code(), again.toString());
        assertTrue(again.out().contains(done + " verified from the earlier run"), again.out());
        assertSameResults(reference, out);
    }

    @Test
    void twoShardsMergedEqualTheUnshardedRun() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(Cli.OK, CliRun.of("batch", GRID.toString(), "--out", a.toString(), "--shard", "1/2", "-q").code());
        assertEquals(Cli.OK, CliRun.of("batch", GRID.toString(), "--out", b.toString(), "--shard", "2/2", "-q").code());
        JsonNode ja = JSON.readTree(a.resolve("batch.json").toFile());
        assertEquals(5, ja.get("ok").asInt());
        assertEquals(4, ja.get("missing").asInt());
        Path m = dir.resolve("merged");
        CliRun r = CliRun.of("batch", "merge", a.toString(), b.toString(), "--out", m.toString());
        assertEquals(Cli.OK, r.code(), r.toString());
        assertTrue(r.out().contains("9 cells, 9 ok, 0 failed, 0 missing"), r.out());
        assertSameResults(reference, m);
    }

    @Test
    void aFailingCellIsRecordedAndTheGridGoesOnUnlessFailFast() throws IOException {
        // a folder of images whose class folders are not the model's classes: the cell fails when it loads them
        Path bad = dir.resolve("wrong-classes");
        for (String c : List.of("cats", "dogs")) {
            Files.createDirectories(bad.resolve(c));
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", bad.resolve(c).resolve("0.png").toFile());
        }
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "models: [" + FixturePaths.fixture("models", "lenet5.fovea") + "]\ndata: [" + bad + ", {source: "
                + FixturePaths.fixture("data", "fashion-mnist-1k") + ", limit: 16}]\nruns: [{type: eval}]\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("batch", spec.toString(), "--out", out.toString());
        assertEquals(Cli.INTERNAL, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.err());
        JsonNode batch = JSON.readTree(out.resolve("batch.json").toFile());
        assertEquals(1, batch.get("ok").asInt());
        assertEquals(1, batch.get("failed").asInt());
        JsonNode failed = batch.get("status").get(0);
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("wrong-classes"), failed.toString());
        assertTrue(Files.readString(out.resolve("index.html")).contains(failed.get("error").asText().split("'")[0].strip()));

        Path fast = dir.resolve("fast");
        CliRun f = CliRun.of("batch", spec.toString(), "--out", fast.toString(), "--fail-fast");
        assertEquals(Cli.INTERNAL, f.code(), f.toString());
        JsonNode fb = JSON.readTree(fast.resolve("batch.json").toFile());
        assertEquals(1, fb.get("failed").asInt());
        assertEquals(1, fb.get("missing").asInt(), "the cell after the failure is not run");
    }

    @Test
    void badInputIsOneLineWithItsExitCodeAndLeavesNoFolder() throws IOException {
        String models = "models: [" + FixturePaths.fixture("models", "convnet.fovea") + "]\ndata: [" + FixturePaths.fixture("data", "fashion-mnist-1k")
                + "]\n";
        Map<String, String> specs = new TreeMap<>(Map.of(
                "malformed", "runs: [{type: eval}\n",
                "type", models + "runs: [{type: attak}]\n",
                "method", models + "runs: [{type: attack, method: pgdd}]\n",
                "option", models + "runs: [{type: explain, method: integrated-gradients, options: {stepz: 3}}]\n",
                "zero cells", models + "runs: [{type: attack, method: []}]\n",
                "missing model", "models: [gone.fovea]\ndata: [x]\nruns: [{type: eval}]\n"));
        Map<String, String> expected = Map.of(
                "malformed", "malformed YAML",
                "type", "runs[0].type: unknown run type 'attak' (known: attack, explain, augment, eval, audit)",
                "method", "runs[0].method: unknown attack 'pgdd' (known: ",
                "option", "runs[0].options.stepz: not an option of integrated-gradients (options: ",
                "zero cells", "runs[0].method: an empty list: this axis expands to zero cells",
                "missing model", "gone.fovea: no such model file (");
        for (Map.Entry<String, String> e : specs.entrySet()) {
            Path spec = dir.resolve(e.getKey().replace(' ', '-') + ".yaml");
            Files.writeString(spec, e.getValue(), StandardCharsets.UTF_8);
            Path out = dir.resolve("out-" + e.getKey().replace(' ', '-'));
            CliRun r = CliRun.of("batch", spec.toString(), "--out", out.toString());
            assertEquals(e.getKey().equals("missing model") ? Cli.INPUT : Cli.USAGE, r.code(), e.getKey() + ": " + r);
            assertEquals(1, r.errLines(), e.getKey() + ": " + r.err());
            assertTrue(r.err().startsWith("fovea batch: "), r.err());
            assertTrue(r.err().contains(expected.get(e.getKey())), e.getKey() + ": " + r.err());
            assertTrue(r.err().contains(spec.toString() + ":") || e.getKey().equals("missing model") && r.err().contains(spec + ":1:"), r.err());
            assertFalse(Files.exists(out), e.getKey() + ": no folder left");
        }
        CliRun shard = CliRun.of("batch", GRID.toString(), "--out", dir.resolve("s").toString(), "--shard", "3/2");
        assertEquals(Cli.USAGE, shard.code());
        assertEquals("fovea batch: --shard: expected I/N with 1 <= I <= N, such as 1/4, got '3/2'", shard.err().strip());
        CliRun again = CliRun.of("batch", GRID.toString(), "--out", reference.toString());
        assertEquals(Cli.USAGE, again.code());
        assertTrue(again.err().contains("holds a batch already; pass --resume"), again.err());
    }

    @Test
    void dryRunListsTheCellsAndTheirCostWithoutWriting() {
        CliRun r = CliRun.of("batch", GRID.toString(), "--out", dir.resolve("dry").toString(), "--dry-run");
        assertEquals(Cli.OK, r.code(), r.toString());
        assertEquals(9, r.out().lines().filter(l -> l.matches("\\s*\\d+\\s+\\w+-[0-9a-f]{12}\\s+\\d+\\s+[\\d,]+\\s+\\d+\\.\\d\\s+\\w+ .*")).count(), r.out());
        assertTrue(r.out().contains("total: "), r.out());
        assertFalse(Files.exists(dir.resolve("dry")));
    }

    /** Cells with a committed result folder. */
    private static int committed(Path cells) throws IOException {
        if (!Files.isDirectory(cells)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cells)) {
            return (int) s.filter(d -> !d.getFileName().toString().startsWith(".") && Files.isRegularFile(d.resolve("cell.json"))).count();
        }
    }

    /**
     * The same results: results.csv byte for byte, the same cells, and each cell's metrics and the digests of its
     * files but the reports' JSON and the page, which carry their start time and wall time.
     */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        assertEquals(Files.readString(expected.resolve("results.csv")), Files.readString(actual.resolve("results.csv")));
        JsonNode a = JSON.readTree(expected.resolve("batch.json").toFile());
        JsonNode b = JSON.readTree(actual.resolve("batch.json").toFile());
        assertEquals(a.get("grid_id"), b.get("grid_id"));
        assertEquals(a.get("grid"), b.get("grid"));
        for (JsonNode s : a.get("status")) {
            String id = s.get("id").asText();
            JsonNode ca = JSON.readTree(expected.resolve("cells").resolve(id).resolve("cell.json").toFile());
            JsonNode cb = JSON.readTree(actual.resolve("cells").resolve(id).resolve("cell.json").toFile());
            assertEquals(ca.get("metrics"), cb.get("metrics"), id);
            assertEquals(ca.get("files").size(), cb.get("files").size(), id);
            ca.get("files").fields().forEachRemaining(f -> {
                if (!f.getKey().endsWith(".json") && !f.getKey().endsWith(".html")) {
                    assertEquals(f.getValue(), cb.get("files").get(f.getKey()), id + " " + f.getKey());
                }
            });
        }
    }
}
