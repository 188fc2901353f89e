package dev.fovea.cli;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one clear line on stderr, no stack trace, and exit code 2 (usage) or 3 (input). */
class BadInputTest {
    @TempDir
    Path dir;

    private static void assertOneLine(CliRun r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), "exactly one line on stderr: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr names '" + f + "': " + r);
        }
    }

    private Path trainedModel() {
        Path m = dir.resolve("ok.fovea");
        CliRun t = CliRun.of("train", "--arch", "mlp", "--data", CommandLineTest.SLICE, "--limit", "32", "--epochs", "1", "-q",
                "--out", m.toString());
        assertEquals(0, t.code(), t.toString());
        return m;
    }

    @Test
    void corruptModelFile() throws IOException {
        Path m = dir.resolve("corrupt.fovea");
        Files.write(m, new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30});
        assertOneLine(CliRun.of("eval", "--model", m.toString(), "--data", CommandLineTest.SLICE), 3, "corrupt.fovea");
        Path text = dir.resolve("text.fovea");
        Files.writeString(text, "hello");
        assertOneLine(CliRun.of("inspect", "--model", text.toString()), 3, "text.fovea", "not a fovea model");
    }

    @Test
    void truncatedModelFile() throws IOException {
        byte[] all = Files.readAllBytes(trainedModel());
        Path cut = dir.resolve("cut.fovea");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 40));
        assertOneLine(CliRun.of("inspect", "--model", cut.toString()), 3, "cut.fovea");
    }

    @Test
    void missingModelFile() {
        assertOneLine(CliRun.of("inspect", "--model", dir.resolve("nope.fovea").toString()), 3, "nope.fovea");
    }

    @Test
    void truncatedIdxFile() throws IOException {
        Path src = FixturePaths.fixture("data", "fashion-mnist-1k");
        Path d = Files.createDirectories(dir.resolve("idx"));
        byte[] images = new java.util.zip.GZIPInputStream(Files.newInputStream(src.resolve("t10k-images-idx3-ubyte.gz"))).readAllBytes();
        Files.write(d.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(images, images.length - 500));
        Files.copy(src.resolve("t10k-labels-idx1-ubyte.gz"), d.resolve("t10k-labels-idx1-ubyte.gz"));
        assertOneLine(CliRun.of("eval", "--model", trainedModel().toString(), "--data", d.resolve("t10k-images-idx3-ubyte").toString()),
                3, "truncated");
    }

    @Test
    void npyOfTheWrongShape() throws IOException {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.zeros(Shape.of(4, 28, 28)));
        Path y = dir.resolve("y.npy");
        Npy.writeLabels(y, new int[] {0, 1, 2, 3});
        assertOneLine(CliRun.of("eval", "--model", trainedModel().toString(), "--data", x.toString(), "--labels", y.toString()),
                3, "x.npy", "[4,28,28]");
        Path x3 = dir.resolve("x3.npy");
        Npy.write(x3, Tensor.zeros(Shape.of(4, 3, 32, 32)));
        assertOneLine(CliRun.of("eval", "--model", trainedModel().toString(), "--data", x3.toString(), "--labels", y.toString()),
                3, "[3,32,32]");
    }

    @Test
    void dataDirectoryWithNoImages() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty/cats"));
        assertOneLine(CliRun.of("train", "--data", empty.getParent().toString(), "--out", dir.resolve("m.fovea").toString()), 3, "no images");
        assertFalse(Files.exists(dir.resolve("m.fovea")));
    }

    @Test
    void negativeEpochs() {
        assertOneLine(CliRun.of("train", "--data", CommandLineTest.SLICE, "--epochs", "-1", "--out", dir.resolve("m.fovea").toString()),
                2, "--epochs");
    }

    @Test
    void unknownArchitecture() {
        assertOneLine(CliRun.of("train", "--arch", "vgg99", "--data", CommandLineTest.SLICE, "--out", dir.resolve("m.fovea").toString()),
                2, "vgg99");
    }

    @Test
    void unknownOptionAndMissingRequired() {
        CliRun r = CliRun.of("train", "--epochz", "3", "--out", "x.fovea");
        assertEquals(2, r.code(), r.toString());
        assertFalse(r.err().contains("\tat "));
        assertEquals(2, CliRun.of("eval", "--data", CommandLineTest.SLICE).code());
    }

    @Test
    void fashionMnistMissingSaysHowToInstall() {
        assertOneLine(CliRun.of("eval", "--model", trainedModel().toString(), "--data", "fashion-mnist", "--data-dir",
                dir.resolve("nowhere").toString()), 3, "apt-get install dataset-fashion-mnist");
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun r = CliRun.of("inspect", "-v", "--model", dir.resolve("nope.fovea").toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("\tat "), r.toString());
    }
}
