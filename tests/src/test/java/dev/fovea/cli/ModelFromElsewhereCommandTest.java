package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.image.Images;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model as users bring it from elsewhere, through the command line: a TorchScript file without class names or
 * normalisation (numbered classes and mean 0 / std 1, each said in a warning line and recorded in every report),
 * budgets closer than four decimals (a name, a row and a file each), a budget given twice (run once, with a note), a minimum-norm
 * attack at budget 0 (searched), and default budgets that follow the input's size.
 */
class ModelFromElsewhereCommandTest {
    static final Path SMALLBN = FixturePaths.fixture("golden", "smallbn");
    static final String LENET = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String RESNET = FixturePaths.fixture("models", "cifar10-resnet20.fovea").toString();
    static final String SLICE = CommandLineTest.SLICE;

    @TempDir
    Path dir;

    private Path bareTorchScript() throws IOException {
        return Files.copy(SMALLBN.resolve("smallbn.pt"), dir.resolve("smallbn.pt"));
    }

    private static List<String> warnings(CliRun r) {
        return r.err().lines().filter(l -> l.contains(": warning: ")).toList();
    }

    @Test
    void aTorchScriptModelWithoutClassNamesGetsNumberedClassesAndOneWarning() throws IOException {
        Path pt = bareTorchScript();
        CliRun r = CliRun.of("eval", "--model", pt.toString(), "--data", SLICE, "--limit", "50", "--input-shape", "1,28,28", "--mean", "0.286",
                "--std", "0.353");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("fovea eval: warning: smallbn.pt: no class names given (no --classes, none in a sidecar): its 10 classes are called 0..9"),
                warnings(r), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("9 ") || l.matches("9\\s+\\S+%?\\s+\\d+")), r.out());
    }

    @Test
    void classFoldersAreTakenInSortedOrderForNumberedClasses() throws IOException {
        Path pt = bareTorchScript();
        Path data = dir.resolve("folders");
        for (String c : List.of("b-second", "a-first")) {
            Files.createDirectories(data.resolve(c));
            for (int i = 0; i < 2; i++) {
                Images.writePng(data.resolve(c).resolve(i + ".png"), Tensor.uniform(Shape.of(1, 28, 28), 0, 1, 31 * i + c.length()));
            }
        }
        CliRun r = CliRun.of("eval", "--model", pt.toString(), "--data", data.toString(), "--input-shape", "1,28,28", "--mean", "0.286",
                "--std", "0.353");
        assertEquals(0, r.code(), r.toString());
        assertTrue(warnings(r).stream().anyMatch(l -> l.endsWith("as torchvision's ImageFolder numbers them: 0=a-first, 1=b-second")), r.toString());
    }

    @Test
    void normalisationNobodyGaveIsSaidAndRecorded() throws IOException {
        Path pt = bareTorchScript();
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("attack", "--model", pt.toString(), "--data", SLICE, "--limit", "4", "--input-shape", "1,28,28", "--classes",
                FixturePaths.fixture("data", "fashion-mnist-1k", "classes.txt").toString(), "--method", "fgsm", "--eps", "0,0.1", "--out",
                out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("fovea attack: warning: smallbn.pt: no normalisation given (no --mean/--std, none in a sidecar): assuming mean 0,"
                + " std 1, so pixels in [0,1] enter the model as they are"), warnings(r), r.toString());
        JsonNode setup = new ObjectMapper().readTree(out.resolve("attack.json").toFile()).get("provenance").get("model_setup");
        assertEquals("[0.0]", setup.get("mean").toString());
        assertEquals("[1.0]", setup.get("std").toString());
        assertEquals("default", setup.get("mean_from").asText());
        assertEquals("default", setup.get("std_from").asText());
        assertEquals("options", setup.get("input_shape_from").asText());
        assertEquals("options", setup.get("class_names_from").asText());

        CliRun partly = CliRun.of("eval", "--model", pt.toString(), "--data", SLICE, "--limit", "4", "--input-shape", "1,28,28", "--mean", "0.286",
                "--classes", FixturePaths.fixture("data", "fashion-mnist-1k", "classes.txt").toString());
        assertEquals(List.of("fovea eval: warning: smallbn.pt: no std given (no --std, none in a sidecar): assuming mean 0.286, std 1"),
                warnings(partly), partly.toString());
    }

    @Test
    void aModelThatSaysEverythingRaisesNoWarningAndRecordsItsSetup() throws IOException {
        Path out = dir.resolve("explain");
        CliRun r = CliRun.of("explain", "saliency", "--model", SMALLBN.resolve("smallbn.pt").toString(), "--data", SLICE, "--limit", "2", "--out",
                out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(warnings(r).isEmpty(), r.toString());
        JsonNode setup = new ObjectMapper().readTree(out.resolve("explain.json").toFile()).get("provenance").get("model_setup");
        assertEquals("sidecar", setup.get("mean_from").asText());
        assertEquals("[1,28,28]", setup.get("input_shape").toString());
    }

    @Test
    void closeBudgetsPrintTwoRowsAndWriteTwoFiles() throws IOException {
        Path out = dir.resolve("close");
        CliRun r = CliRun.of("attack", "-m", LENET, "--data", SLICE, "--limit", "4", "--method", "fgsm", "--eps", "0.00196078431372549,0.002",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        List<String> rows = r.out().lines().filter(l -> l.matches("\\s*0\\.00\\S*\\s.*%.*")).map(l -> l.trim().split("\\s+")[0]).toList();
        assertEquals(List.of("0.00196", "0.002"), rows, r.out());
        assertTrue(Files.isRegularFile(out.resolve("adversarial_eps0.00196.npy")));
        assertTrue(Files.isRegularFile(out.resolve("adversarial_eps0.002.npy")));
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        assertEquals("adversarial_eps0.00196.npy", j.get("results").get(0).get("adversarial").asText());
        assertEquals(0.00196078431372549, j.get("results").get(0).get("eps").asDouble());

        CliRun fractions = CliRun.of("attack", "-m", LENET, "--data", SLICE, "--limit", "4", "--method", "fgsm", "--eps", "0.5/255,2/255",
                "--out", dir.resolve("fractions").toString(), "-q");
        assertEquals(0, fractions.code(), fractions.toString());
        assertTrue(Files.isRegularFile(dir.resolve("fractions").resolve("adversarial_eps0.002.npy")), "0.5/255 is 0.00196...: four decimals suffice alone");
        assertTrue(Files.isRegularFile(dir.resolve("fractions").resolve("adversarial_eps0.0078.npy")));
    }

    @Test
    void aBudgetGivenTwiceRunsOnceWithANote() throws IOException {
        CliRun r = CliRun.of("attack", "-m", LENET, "--data", SLICE, "--limit", "4", "--method", "fgsm", "--eps", "0.1,0,0.10", "--out",
                dir.resolve("o").toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertEquals("fovea attack: note: --eps 0.1 is given more than once; it runs once", r.err().strip());
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("o").resolve("attack.json").toFile()).get("results").size(), "0 and 0.1");
        CliRun bad = CliRun.of("attack", "-m", LENET, "--data", SLICE, "--eps", "1/0", "--out", dir.resolve("bad").toString());
        assertEquals(Cli.USAGE, bad.code(), bad.toString());
        assertEquals("fovea attack: --eps: expected a number or a fraction such as 8/255, got '1/0'", bad.err().strip());
        assertFalse(Files.exists(dir.resolve("bad")));
    }

    @Test
    void minimumNormAttacksSearchAtBudgetZero() throws IOException {
        Path out = dir.resolve("df");
        CliRun r = CliRun.of("attack", "-m", LENET, "--data", SLICE, "--limit", "6", "--method", "deepfool", "--eps", "0", "--out", out.toString(),
                "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("minimal l2 perturbation: found for 6 of 6"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        JsonNode m = j.get("minimal_perturbation");
        assertTrue(m != null && !m.isNull(), j.toString());
        assertTrue(m.get("success_rate").asDouble() > 0.5, m.toString());
        assertTrue(Files.isRegularFile(out.resolve("minimal_perturbation.png")));
        assertEquals(j.get("clean_accuracy").asDouble(), j.get("results").get(0).get("robust_accuracy").asDouble(), 1e-12);
    }

    @Test
    void defaultBudgetsFollowTheInputsSize() throws IOException {
        String cifar = FixturePaths.shared("data", "cifar10-test-jpg").toString();
        List<String[]> cases = List.of(
                new String[] {RESNET, cifar, "linf", "fgsm", "budgets: 0, 1/255, 2/255, 4/255, 8/255 (linf; the default for colour 3x32x32 input"},
                new String[] {RESNET, cifar, "l2", "fgm", "budgets: 0, 0.25, 0.5, 1.0 (l2; the default for colour 3x32x32 input"},
                new String[] {LENET, SLICE, "linf", "fgsm", "budgets: 0, 0.02, 0.05, 0.1, 0.2 (linf; the default for grayscale input"});
        List<List<Double>> want = List.of(List.of(0.0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0), List.of(0.0, 0.25, 0.5, 1.0),
                List.of(0.0, 0.02, 0.05, 0.1, 0.2));
        for (int i = 0; i < cases.size(); i++) {
            String[] c = cases.get(i);
            Path out = dir.resolve("default" + i);
            CliRun r = CliRun.of("attack", "-m", c[0], "--data", c[1], "--per-class", "1", "--limit", "3", "--norm", c[2], "--method", c[3],
                    "--out", out.toString(), "-q");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith(c[4]), r.out());
            List<Double> eps = new ArrayList<>();
            new ObjectMapper().readTree(out.resolve("attack.json").toFile()).get("results").forEach(b -> eps.add(b.get("eps").asDouble()));
            assertEquals(want.get(i), eps, c[4]);
        }
        CliRun help = CliRun.of("attack", "--help");
        assertTrue(help.out().contains("RobustBench") && help.out().contains("8/255"), help.out());
    }

    @Test
    void theListEndsWithWhatDoublePrecisionChanges() {
        CliRun r = CliRun.of("attack", "--list");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\nPrecision: every attack takes the loss and its gradient on the logits in double precision"), r.out());
        assertTrue(r.out().contains("fools 380 of the 399") && r.out().contains("fools 372."), r.out());
    }

    @Test
    void perClassTakesTheFirstImagesOfEachClass() throws IOException {
        String cifar = FixturePaths.shared("data", "cifar10-test-jpg").toString();
        Path json = dir.resolve("eval.json");
        CliRun r = CliRun.of("eval", "-m", RESNET, "--data", cifar, "--per-class", "3", "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(30, j.get("n").asInt());
        try (Stream<JsonNode> rows = Stream.of(j.get("confusion")).flatMap(c -> java.util.stream.StreamSupport.stream(c.spliterator(), false))) {
            rows.forEach(row -> {
                long n = 0;
                for (JsonNode v : row) {
                    n += v.asLong();
                }
                assertEquals(3, n, "three images of every class: " + row);
            });
        }
        assertEquals("model", j.get("model_setup").get("mean_from").asText());
    }
}
