package dev.fovea.cli;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.image.Images;
import dev.fovea.model.Architecture;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both model kinds through the command line, and their bad input. */
class BackendCommandLineTest {
    static final Path GOLDEN = FixturePaths.fixture("golden", "smallbn");
    static final String SLICE = CommandLineTest.SLICE;

    @TempDir
    Path dir;

    private static double accuracy(CliRun r) {
        String line = r.out().lines().findFirst().orElseThrow();
        String pct = line.replaceAll(".*accuracy ([0-9.]+)%.*", "$1");
        return Double.parseDouble(pct) / 100;
    }

    private static void assertOneLine(CliRun r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line on stderr: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr names '" + f + "': " + r);
        }
    }

    @Test
    void torchScriptWithSidecarAndFoveaOnBothBackendsAgree() {
        CliRun ts = CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.pt").toString(), "--data", SLICE);
        CliRun engine = CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.fovea").toString(), "--data", SLICE);
        CliRun lt = CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.fovea").toString(), "--data", SLICE, "--backend", "libtorch");
        for (CliRun r : List.of(ts, engine, lt)) {
            assertEquals(0, r.code(), r.toString());
        }
        assertTrue(accuracy(ts) > 0.6, ts.out());
        assertEquals(accuracy(ts), accuracy(engine), 0.0021, "at most two of 1000 predictions differ between backends");
        assertEquals(accuracy(ts), accuracy(lt), 0.0021);
    }

    @Test
    void inspectTorchScriptShowsItsLayer() {
        CliRun r = CliRun.of("inspect", "--model", GOLDEN.resolve("smallbn.pt").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("TorchScript") && r.out().contains("layers: "), r.out());
    }

    private Path copy(String file) throws IOException {
        return Files.copy(GOLDEN.resolve(file), dir.resolve(file));
    }

    @Test
    void notATorchScriptFile() throws IOException {
        Path pt = dir.resolve("smallbn.pt");
        Files.writeString(pt, "not a model");
        copy("smallbn.json");
        assertOneLine(CliRun.of("eval", "--model", pt.toString(), "--data", SLICE), 3, "smallbn.pt", "not a TorchScript model");
    }

    @Test
    void sidecarThatDisagreesWithTheModel() throws IOException {
        Path pt = copy("smallbn.pt");
        String side = Files.readString(GOLDEN.resolve("smallbn.json"));
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(side);
        var classes = json.putArray("classes");
        for (int i = 0; i < 7; i++) {
            classes.add("c" + i);
        }
        Files.writeString(dir.resolve("smallbn.json"), json.toString());
        assertOneLine(CliRun.of("inspect", "--model", pt.toString()), 3, "7 classes", "[1,10]");
    }

    @Test
    void torchScriptWithoutMetadata() throws IOException {
        Path pt = copy("smallbn.pt");
        assertOneLine(CliRun.of("eval", "--model", pt.toString(), "--data", SLICE), 3, "no metadata", "--input-shape");
        CliRun flags = CliRun.of("eval", "--model", pt.toString(), "--data", SLICE, "--input-shape", "1,28,28", "--mean", "0.286",
                "--std", "0.353", "--classes", FixturePaths.fixture("data", "fashion-mnist-1k", "classes.txt").toString());
        assertEquals(0, flags.code(), flags.toString());
    }

    @Test
    void engineBackendRefusesTorchScript() {
        assertOneLine(CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.pt").toString(), "--data", SLICE, "--backend", "engine"),
                2, "--backend engine");
    }

    @Test
    void gpuWithoutCuda() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.fovea.model.djl.Libtorch.engine().getGpuCount() == 0,
                "this machine has a CUDA GPU, so --device gpu is valid here");
        assertOneLine(CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.pt").toString(), "--data", SLICE, "--device", "gpu"),
                3, "--device gpu");
    }

    @Test
    void predictConvertsImagesToTheModelsInput() throws IOException {
        Path png = dir.resolve("rgb.png");
        Images.writePng(png, Tensor.uniform(Shape.of(3, 40, 30), 0, 1, 4));
        CliRun r = CliRun.of("predict", "--model", GOLDEN.resolve("smallbn.pt").toString(), "--top", "2", png.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith(png.toString() + ":") && r.out().contains("%"), r.out());
    }

    @Test
    void imageChannelsThatCannotBeConverted() throws IOException {
        Network twoChannels = Network.create(Architecture.named("lenet5"), Shape.of(2, 28, 28), List.of("a", "b"),
                new float[] {0}, new float[] {1}, 1);
        Path m = dir.resolve("two.fovea");
        ModelFile.save(twoChannels, m);
        Path png = dir.resolve("x.png");
        Images.writePng(png, Tensor.zeros(Shape.of(1, 28, 28)));
        assertOneLine(CliRun.of("predict", "--model", m.toString(), png.toString()), 3, "x.png", "1 or 3 channels");
    }

    @Test
    void npyOfTheWrongDtype() throws IOException {
        Path x = dir.resolve("x.npy");
        Npy.write(x, new long[4 * 784], new int[] {4, 1, 28, 28});
        Path y = dir.resolve("y.npy");
        Npy.writeLabels(y, new int[] {0, 1, 2, 3});
        assertOneLine(CliRun.of("eval", "--model", GOLDEN.resolve("smallbn.pt").toString(), "--data", x.toString(), "--labels", y.toString()),
                3, "x.npy", "<i8");
    }
}
