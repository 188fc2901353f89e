package dev.fovea.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.DataSpec;
import dev.fovea.data.FixturePaths;
import dev.fovea.image.Images;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs that used to give a confident wrong answer with exit code 0 (a model whose outputs break the classifier's
 * promises, an occlusion stride that leaves pixels uncovered, a misspelt architecture key) or a small surprise (NaN
 * for a number option, an L2 budget capped at a fixed 28, flags silently ignored, two-line parse errors), one named
 * row each. Every row runs the command line in a child JVM with a 256 MB heap, in a folder of its own, and asserts
 * the exit code, the one line on stderr (or none), no stack trace, a heap that was not exhausted, and that a failing
 * run leaves no output folder or file behind (a run that only warns writes its results).
 *
 * <p>The TorchScript models are {@code fixtures/hostile} ({@code fixtures/make_hostile_models.py}); the other inputs
 * are made here.
 */
class HostileOutputsTest {
    static final Path HOSTILE = FixturePaths.fixture("hostile");
    static final String SLICE = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    static final String LENET = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    static Path inputs;

    @TempDir
    Path runs;

    /**
     * One hostile input: the command line ({@code %s} where the folder of made inputs goes), the exit code, the one
     * stderr line ({@code %s} likewise; null: nothing on stderr) and, for a run that succeeds, the output it must
     * have written (relative to its working folder).
     */
    record Case(String name, int code, String line, String wrote, String... args) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String pt(String name) {
        return HOSTILE.resolve(name + ".pt").toString();
    }

    static Stream<Case> cases() {
        String diff = "expected logits differentiable with respect to the input, got logits with no gradient (detached, or computed through argmax,"
                + " rounding or a cast)";
        return Stream.of(
                // Confident wrong answers
                new Case("eval: forward returns one row whatever the batch", 3,
                        "fovea eval: " + pt("one_row") + ": returned logits [1,10] for a batch of 64, expected [64,10]", null,
                        "eval", "--model", pt("one_row"), "--data", SLICE),
                new Case("attack: forward returns one row whatever the batch", 3,
                        "fovea attack: " + pt("one_row") + ": returned logits [1,10] for a batch of 8, expected [8,10]", null,
                        "attack", "--model", pt("one_row"), "--data", SLICE, "--limit", "8", "--method", "fgsm", "--eps", "0,0.1", "-q", "--out", "out"),
                new Case("eval: forward returns twice the rows", 3,
                        "fovea eval: " + pt("double_rows") + ": returned logits [2,10] for a batch of 1, expected [1,10]", null,
                        "eval", "--model", pt("double_rows"), "--data", SLICE),
                new Case("eval: NaN logits for batches larger than one", 3,
                        "fovea eval: " + pt("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 64", null,
                        "eval", "--model", pt("nan_batch"), "--data", SLICE),
                new Case("eval: NaN logits in a later chunk name the sample in the whole batch", 3,
                        "fovea eval: " + pt("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 16", null,
                        "eval", "--model", pt("nan_batch"), "--data", SLICE, "--batch-size", "16"),
                new Case("attack: NaN logits (success rate 1.0 at eps 0 before)", 3,
                        "fovea attack: " + pt("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 8", null,
                        "attack", "--model", pt("nan_batch"), "--data", SLICE, "--limit", "8", "--method", "fgsm", "--eps", "0,0.1", "-q", "--out", "out"),
                new Case("explain: NaN logits (an all-NaN map before)", 3,
                        "fovea explain: " + pt("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 4", null,
                        "explain", "saliency", "--model", pt("nan_batch"), "--data", SLICE, "--limit", "4", "-q", "--out", "out"),
                new Case("predict: an infinite logit (NaN% before)", 3,
                        "fovea predict: " + pt("inf") + ": expected finite logits, got Infinity at sample 0, class 2 of a batch of 1", null,
                        "predict", "--model", pt("inf"), "%s/one.png"),
                new Case("eval: integer logits", 3, "fovea eval: " + pt("integer") + ": expected floating-point logits, got int64", null,
                        "eval", "--model", pt("integer"), "--data", SLICE),
                new Case("attack: argmax one-hot logits have no gradient (EngineException before)", 3, "fovea attack: " + pt("argmax") + ": " + diff, null,
                        "attack", "--model", pt("argmax"), "--data", SLICE, "--limit", "8", "--method", "fgsm", "--eps", "0.1", "-q", "--out", "out"),
                new Case("explain: detached logits have no gradient (EngineException before)", 3, "fovea explain: " + pt("detached") + ": " + diff, null,
                        "explain", "saliency", "--model", pt("detached"), "--data", SLICE, "--limit", "4", "-q", "--out", "out"),
                new Case("explain occlusion: stride larger than the window (NaN pixels before)", 2,
                        "fovea explain: --stride must be at most --window, got 5 > 4 (a larger step leaves pixels that no position of the square covers)",
                        null, "explain", "occlusion", "--model", LENET, "--data", SLICE, "--limit", "2", "--window", "4", "--stride", "5", "-q",
                        "--out", "out"),
                new Case("explain integrated-gradients: --baseline image with --baseline-image works", 0, null, "ig/explain.json",
                        "explain", "integrated-gradients", "--model", LENET, "--data", SLICE, "--limit", "2", "--steps", "4", "--baseline", "image",
                        "--baseline-image", "%s/grey.png", "-q", "--out", "ig"),
                new Case("train: unknown key in an architecture JSON (padding 0 before)", 3,
                        "fovea train: %s/typo.json: architecture: layers[0] (conv2d): unknown key \"paddng\" (conv2d takes type, out_channels, kernel,"
                                + " kernel_size, stride, padding, bias)", null,
                        "train", "--arch", "%s/typo.json", "--data", SLICE, "--limit", "32", "--epochs", "1", "-q", "--out", "m.fovea"),
                new Case("eval: unknown key in a .fovea's model.json", 3,
                        "fovea eval: %s/typo.fovea: architecture: layers[0] (conv2d): unknown key \"paddng\" (conv2d takes type, out_channels, kernel,"
                                + " kernel_size, stride, padding, bias)", null,
                        "eval", "--model", "%s/typo.fovea", "--data", SLICE),
                // Smaller ones
                new Case("train: --momentum NaN", 2, "fovea train: --momentum: expected a finite number, got 'NaN'", null,
                        "train", "--arch", "mlp", "--data", SLICE, "--optimizer", "sgd", "--momentum", "NaN", "-q", "--out", "m.fovea"),
                new Case("train: --weight-decay Infinity", 2, "fovea train: --weight-decay: expected a finite number, got 'Infinity'", null,
                        "train", "--arch", "mlp", "--data", SLICE, "--weight-decay", "Infinity", "-q", "--out", "m.fovea"),
                new Case("attack: --step-size NaN", 2, "fovea attack: --step-size: expected a finite number, got 'NaN'", null,
                        "attack", "--model", LENET, "--data", SLICE, "--step-size", "NaN", "--out", "out"),
                new Case("explain: --noise Infinity", 2, "fovea explain: --noise: expected a finite number, got 'Infinity'", null,
                        "explain", "smoothgrad", "--model", LENET, "--data", SLICE, "--noise", "Infinity", "--out", "out"),
                new Case("attack: L2 eps above sqrt(C*H*W)", 2,
                        "fovea attack: --eps values must be at most sqrt(C*H*W) = 28 for l2 on inputs [1,28,28] (the distance from a black to a white"
                                + " image), got 30.0", null,
                        "attack", "--model", LENET, "--data", SLICE, "--limit", "4", "--method", "fgm", "--eps", "1,30", "-q", "--out", "out"),
                new Case("explain saliency: --window is warned about", 0, "fovea explain: warning: ignored --window (not an option of saliency)",
                        "sal/explain.json", "explain", "saliency", "--model", LENET, "--data", SLICE, "--limit", "2", "--window", "9", "-q", "--out", "sal"),
                new Case("explain grad-cam: --steps is warned about", 0, "fovea explain: warning: ignored --steps (not an option of grad-cam)",
                        "cam/explain.json", "explain", "grad-cam", "--model", LENET, "--data", SLICE, "--limit", "2", "--steps", "8", "-q", "--out", "cam"),
                new Case("explain integrated-gradients: --baseline-image without --baseline image is warned about", 0,
                        "fovea explain: warning: ignored --baseline-image (read only with --baseline image)", "ig/explain.json",
                        "explain", "integrated-gradients", "--model", LENET, "--data", SLICE, "--limit", "2", "--steps", "4",
                        "--baseline-image", "%s/grey.png", "-q", "--out", "ig"),
                new Case("attack jsma: --steps is warned about", 0, "fovea attack: warning: ignored --steps (not an option of jsma)", "js/attack.json",
                        "attack", "--model", LENET, "--data", SLICE, "--limit", "2", "--method", "jsma", "--eps", "0.01", "--steps", "3", "-q", "--out", "js"),
                new Case("parse error: an unknown option is one line", 2,
                        "fovea train: Unknown options: '--epochz', '3' (did you mean --epochs or --eps?)", null, "train", "--epochz", "3", "--out", "m.fovea"),
                new Case("parse error: a missing required option is one line", 2,
                        "fovea train: Missing required option: '--out=FILE.fovea'; try 'fovea train --help' for the options", null, "train", "--data", SLICE),
                new Case("-v: the one line, then the stack trace, and no 'run with -v' hint", 3, null, null,
                        "eval", "-v", "--model", pt("integer"), "--data", SLICE));
    }

    @BeforeAll
    static void makeInputs() throws IOException {
        Tensor x = DataSpec.load(SLICE, null, null, null).limit(1).images();
        Images.writePng(inputs.resolve("one.png"), x.reshape(1, 28, 28));
        Images.writePng(inputs.resolve("grey.png"), Tensor.full(dev.fovea.tensor.Shape.of(1, 28, 28), 0.5f));
        Files.writeString(inputs.resolve("typo.json"), "{\"layers\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel\": 3, \"paddng\": 1},"
                + " {\"type\": \"relu\"}, {\"type\": \"flatten\"}, {\"type\": \"linear\", \"out_features\": \"classes\"}]}");
        // The bundled LeNet-5 with "paddng": 1 beside the first convolution's "padding": 2 in its model.json.
        ObjectMapper json = new ObjectMapper();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(Path.of(LENET)));
             OutputStream file = Files.newOutputStream(inputs.resolve("typo.fovea")); ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (e.getName().equals("model.json")) {
                    ObjectNode m = (ObjectNode) json.readTree(data);
                    ((ObjectNode) m.get("architecture").get("layers").get(0)).put("paddng", 1);
                    data = json.writeValueAsBytes(m);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
    }

    private static String[] filled(String[] args) {
        return Stream.of(args).map(a -> a.replace("%s", inputs.toString())).toArray(String[]::new);
    }

    private static List<String> contents(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileInput(Case c) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(runs.resolve("run"));
        ChildRun r = ChildRun.in(dir, 256, 120, filled(c.args()));
        assertFalse(r.timedOut(), r.toString());
        assertFalse(r.outOfMemory(), "the case stayed within 256 MB of heap: " + r);
        assertEquals(c.code(), r.code(), r.toString());
        if (c.name().startsWith("-v")) {
            List<String> lines = r.err().lines().toList();
            assertEquals("fovea eval: " + pt("integer") + ": expected floating-point logits, got int64", lines.get(0), r.toString());
            assertTrue(lines.size() > 1 && lines.get(1).startsWith("dev.fovea.model.ModelOutputException"), r.toString());
            assertFalse(r.err().contains("run with -v"), r.toString());
        } else {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
            if (c.line() == null) {
                assertEquals(0, r.errLines(), "nothing on stderr: " + r);
            } else {
                assertEquals(1, r.errLines(), "one line on stderr: " + r);
                assertEquals(c.line().replace("%s", inputs.toString()), r.err().strip(), r.toString());
            }
        }
        if (c.wrote() == null) {
            assertEquals(List.of(), contents(dir), "no output folder or file left behind: " + r);
        } else {
            assertTrue(Files.isRegularFile(dir.resolve(c.wrote())), c.wrote() + " written: " + r);
        }
    }

    @Test
    void everyFixtureModelHasARow() throws IOException {
        List<String> used = new ArrayList<>();
        cases().forEach(c -> Stream.of(c.args()).filter(a -> a.startsWith(HOSTILE.toString())).forEach(used::add));
        try (Stream<Path> s = Files.list(HOSTILE)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".pt")).toList()) {
                assertTrue(used.contains(p.toString()), p.getFileName() + " has a row in the table");
            }
        }
    }
}
