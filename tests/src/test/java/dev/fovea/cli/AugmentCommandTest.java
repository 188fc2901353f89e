package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Family;
import dev.fovea.image.corrupt.Suite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea augment} end to end on the bundled models and the Fashion-MNIST slice: the report, the table, the
 * listing, the export, accuracy falling with severity for every registered noise and blur, and each bad input as
 * one line with its exit code.
 */
class AugmentCommandTest {
    static final String LENET = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String CONVNET = FixturePaths.fixture("models", "convnet.fovea").toString();
    static final String SLICE = CommandLineTest.SLICE;

    /** A colour-only corruption, registered for the grayscale check: swaps red and blue. */
    public static final class SwapChannels extends Corruption<SwapChannels.Params> {
        public record Params(boolean swap) {
        }

        @Override
        public String name() {
            return "test-swap-channels";
        }

        @Override
        public Family family() {
            return Family.COLOUR;
        }

        @Override
        public Suite suite() {
            return Suite.AUGMENTATION;
        }

        @Override
        public String describe() {
            return "swaps red and blue (a registry test)";
        }

        @Override
        public boolean colourOnly() {
            return true;
        }

        @Override
        public boolean random() {
            return false;
        }

        @Override
        public boolean graded() {
            return false;
        }

        @Override
        public Params parameters(int severity, int height, int width) {
            return new Params(true);
        }

        @Override
        public Params identity() {
            return new Params(false);
        }

        @Override
        protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
            int plane = h * w;
            System.arraycopy(src, 0, dst, 0, src.length);
            if (p.swap()) {
                System.arraycopy(src, 0, dst, 2 * plane, plane);
                System.arraycopy(src, 2 * plane, dst, 0, plane);
            }
        }
    }

    @BeforeAll
    static void register() {
        Corruptions.register(new SwapChannels());
    }

    @AfterAll
    static void unregister() {
        Corruptions.unregister("test-swap-channels");
    }

    @TempDir
    Path dir;

    @Test
    void writesTheReportAndPrintsTheTable() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("augment", "-m", LENET, "--data", SLICE, "--limit", "32", "--corruptions", "gaussian-noise,brightness",
                "--severities", "1,5", "--examples", "1", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("clean accuracy"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("gaussian-noise +noise +[0-9.]+% +[0-9.]+% +[0-9.]+% +[0-9.]+%")), r.out());
        assertTrue(r.out().contains("mCE over 2"), r.out());
        assertTrue(r.out().contains("worst (mean error): "), r.out());
        assertTrue(r.out().contains("wrote " + out), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("augment.json").toFile());
        assertEquals(32, j.get("n").asInt());
        assertEquals(2, j.get("corruptions").size());
        assertEquals("lenet5.fovea", Path.of(j.get("model").asText()).getFileName().toString());
        assertEquals(64, j.get("model_sha256").asText().length());
        for (String f : List.of("augment.csv", "examples_0.png", "accuracy_noise.png", "accuracy_digital.png")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        assertFalse(Files.exists(out.resolve("examples_1.png")));
    }

    @Test
    void aModelAgainstItselfAsReferenceHasAnMceOfOneHundredPercent() throws IOException {
        Path first = dir.resolve("first");
        String[] base = {"augment", "-m", LENET, "--data", SLICE, "--limit", "16", "--corruptions", "benchmark", "--severities", "2-3", "-q"};
        assertEquals(0, CliRun.of(concat(base, "--out", first.toString())).code());
        Path second = dir.resolve("second");
        CliRun r = CliRun.of(concat(base, "--out", second.toString(), "--reference", first.resolve("augment.json").toString()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("; 100.00% of the reference's"), r.out());
        JsonNode j = new ObjectMapper().readTree(second.resolve("augment.json").toFile());
        assertEquals(1.0, j.get("benchmark").get("mce").asDouble(), 1e-12);
        assertEquals(first.resolve("augment.json").toString(), j.get("reference").get("source").asText());
    }

    @Test
    void listDescribesEveryRegisteredCorruption() {
        CliRun r = CliRun.of("augment", "--list");
        assertEquals(0, r.code(), r.toString());
        for (Corruption<?> c : Corruptions.all()) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(c.name() + " ") && l.contains(c.describe()) && l.contains(c.family().label())
                    && l.contains(c.suite().label())), c.name() + " in " + r.out());
            for (int size : new int[] {32, 224}) {
                assertTrue(r.out().contains(size + "x" + size + "  1: " + c.describeParameters(1, size, size) + "; 2: "), c.name() + " at " + size);
            }
        }
        assertTrue(r.out().contains("colour only"), r.out());
    }

    @Test
    void exportWritesArraysNumpyReads() throws IOException {
        Path exp = dir.resolve("exp");
        CliRun r = CliRun.of("augment", "-m", LENET, "--data", SLICE, "--limit", "10", "--corruptions", "gaussian-noise", "--severities", "2,4",
                "--export", exp.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        for (String f : List.of("gaussian-noise_s2.npy", "gaussian-noise_s4.npy", "clean.npy")) {
            var a = Npy.read(exp.resolve(f));
            assertArrayEquals(new int[] {10, 1, 28, 28}, a.shape(), f);
            // numpy's own header: magic, version 1.0, a little-endian float32 C-order dictionary
            String header = new String(Files.readAllBytes(exp.resolve(f)), 0, 80, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(header.startsWith("\u0093NUMPY\u0001\u0000"), f);
            assertTrue(header.contains("'descr': '<f4', 'fortran_order': False, 'shape': (10, 1, 28, 28)"), header);
        }
        assertEquals(10, Npy.readLabels(exp.resolve("labels.npy")).length);
        assertTrue(Files.exists(exp.resolve("corruptions.json")));
        assertTrue(Files.exists(exp.resolve(".fovea-result")), "written as a result folder");
        assertFalse(Files.exists(exp.resolve("gaussian-noise_s1.npy")));
    }

    @Test
    void exportWritesImageFoldersThatReadBack() throws IOException {
        Path exp = dir.resolve("png");
        CliRun r = CliRun.of("augment", "-m", LENET, "--data", SLICE, "--limit", "12", "--corruptions", "brightness", "--severities", "3",
                "--export", exp.toString(), "--export-format", "png", "-q");
        assertEquals(0, r.code(), r.toString());
        Path folder = exp.resolve("brightness").resolve("3");
        assertTrue(Files.isDirectory(folder.resolve("T-shirt_top")) || Files.isDirectory(folder.resolve("Ankle boot")), folder.toString());
        CliRun eval = CliRun.of("eval", "-m", LENET, "--data", folder.toString());
        assertEquals(0, eval.code(), eval.toString());
        assertTrue(eval.out().contains("12"), eval.out());
    }

    /**
     * Accuracy of the bundled ConvNet on 64 images of the slice never rises from severity 1 to 3 to 5, for every
     * registered corruption of families noise and blur.
     */
    @Test
    void accuracyFallsWithSeverityForNoiseAndBlur() throws IOException {
        List<String> names = new ArrayList<>();
        for (Corruption<?> c : Corruptions.all()) {
            if ((c.family() == Family.NOISE || c.family() == Family.BLUR) && !c.colourOnly()) {
                names.add(c.name());
            }
        }
        assertFalse(names.isEmpty(), "gaussian-noise at least");
        Path out = dir.resolve("falls");
        CliRun r = CliRun.of("augment", "-m", CONVNET, "--data", SLICE, "--limit", "64", "--corruptions", String.join(",", names),
                "--severities", "1,3,5", "--examples", "0", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("augment.json").toFile());
        assertEquals(names.size(), j.get("corruptions").size());
        for (JsonNode c : j.get("corruptions")) {
            double before = j.get("clean_accuracy").asDouble();
            for (JsonNode s : c.get("severities")) {
                double acc = s.get("accuracy").asDouble();
                assertTrue(acc <= before, c.get("name").asText() + " at severity " + s.get("severity").asInt() + ": " + acc + " after " + before);
                before = acc;
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One line on stderr, starting {@code fovea augment: } and holding {@code fragment}, and exit code {@code code}. */
    private void fails(int code, String fragment, String... args) {
        CliRun r = CliRun.of(concat(new String[] {"augment"}, args));
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
        assertTrue(r.err().startsWith("fovea augment: "), r.toString());
        assertTrue(r.err().contains(fragment), fragment + " in " + r);
        assertFalse(Files.exists(dir.resolve("o")), "no output folder: " + r);
    }

    @Test
    void badInputIsOneLine() throws IOException {
        String o = dir.resolve("o").toString();
        String[] base = {"-m", LENET, "--data", SLICE, "--limit", "4", "--out", o};
        fails(2, "--corruptions: unknown corruption 'fog-of-war' (known: all, benchmark, extra, augmentations, gaussian-noise, ",
                concat(base, "--corruptions", "gaussian-noise,fog-of-war"));
        for (String bad : new String[] {"0", "6", "1-7", "3-1", "x"}) {
            fails(2, "--severities must be from 1 to 5", concat(base, "--severities", bad));
        }
        fails(2, "--corruptions: test-swap-channels changes colours only, and the images [1,28,28] are grayscale",
                concat(base, "--corruptions", "test-swap-channels"));
        fails(2, "Missing required option: one of '--out=DIR' or '--export=DIR' (or --list)", "-m", LENET, "--data", SLICE);
        fails(2, "--export-format: expected one of npy, png, got 'tiff'", concat(base, "--export-format", "tiff"));
        Path ref = dir.resolve("ref.json");
        Files.writeString(ref, "{\"clean_error\": 0.1, \"corruptions\": 3}");
        fails(3, ref + ": expected the augment.json of another run", concat(base, "--reference", ref.toString()));
        Files.writeString(ref, "{\"clean_error\": ");
        fails(3, ref + ": not JSON", concat(base, "--reference", ref.toString()));
        fails(3, "none.json", concat(base, "--reference", dir.resolve("none.json").toString()));
    }

    @Test
    void aGroupSkipsColourOnlyCorruptionsOnGrayscaleAndSaysSo() throws IOException {
        Path out = dir.resolve("skip");
        CliRun r = CliRun.of("augment", "-m", LENET, "--data", SLICE, "--limit", "4", "--corruptions", "all", "--severities", "1",
                "--examples", "0", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("skipped ") && l.contains("test-swap-channels")
                && l.endsWith(": colour only, and the images [1,28,28] are grayscale")), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("augment.json").toFile());
        List<String> ran = new ArrayList<>();
        j.get("corruptions").forEach(c -> ran.add(c.get("name").asText()));
        List<String> expected = Corruptions.all().stream().filter(c -> !c.colourOnly()).map(Corruption::name).toList();
        assertEquals(expected, ran);
        assertTrue(j.get("provenance").get("options").get("skipped").toString().contains("test-swap-channels"), j.get("provenance").toString());
    }
}
