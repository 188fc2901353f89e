package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.DataSpec;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.Explainers;
import dev.fovea.image.Images;
import dev.fovea.method.OptionInfo;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    @Test
    void integratedGradientsWritesMapsReportAndGrid() throws IOException {
        Path out = dir.resolve("ig");
        CliRun r = CliRun.of("explain", "integrated-gradients", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "6",
                "--steps", "16", "--target", "label", "--seed", "3", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("completeness"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explain.json").toFile());
        assertEquals("integrated-gradients", j.get("method").asText());
        assertEquals(16, j.get("options").get("steps").asInt());
        assertEquals("gauss-legendre", j.get("options").get("rule").asText());
        assertEquals("label", j.get("target").asText());
        assertEquals(3, j.get("seed").asLong());
        assertEquals(64, j.get("model_sha256").asText().length());
        assertEquals(64, j.get("data_sha256").asText().length());
        assertEquals(6, j.get("samples").size());
        int[] labels = DataSpec.load(CommandLineTest.SLICE, null, null, null).limit(6).labels();
        for (int i = 0; i < 6; i++) {
            JsonNode s = j.get("samples").get(i);
            assertEquals(labels[i], s.get("target").asInt(), "target = label");
            assertTrue(Math.abs(s.get("delta").asDouble()) < 0.05 * Math.abs(s.get("sum").asDouble() - s.get("delta").asDouble()) + 0.05,
                    "small completeness delta " + s);
        }
        assertArrayEquals(new int[] {6, 1, 28, 28}, Npy.read(out.resolve("attributions.npy")).shape());
        assertTrue(Files.size(out.resolve("grid.png")) > 1000);
    }

    @Test
    void theCliGivesTheLibrarysMapsAndCamIsLayerShaped() throws IOException {
        Path out = dir.resolve("cam");
        CliRun r = CliRun.of("explain", "grad-cam", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "3", "--layer", "3",
                "--batch-size", "2", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explain.json").toFile());
        assertEquals("3", j.get("options").get("layer").asText());
        assertArrayEquals(new int[] {3, 1, 28, 28}, Npy.read(out.resolve("attributions.npy")).shape());
    }

    @Test
    void oneImageFileWithAGivenClass() throws IOException {
        Tensor x = DataSpec.load(CommandLineTest.SLICE, null, null, null).limit(1).images();
        Path png = dir.resolve("one.png");
        Images.writePng(png, x.reshape(1, 28, 28));
        Path out = dir.resolve("occ");
        CliRun r = CliRun.of("explain", "occlusion", "-m", MODEL, "--image", png.toString(), "--target", "Sneaker", "--window", "7",
                "--stride", "7", "--score", "probability", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explain.json").toFile());
        assertEquals(7, j.get("samples").get(0).get("target").asInt());
        assertFalse(j.get("samples").get(0).has("label"));
        assertEquals("probability", j.get("options").get("score").asText());
    }

    private float[] maps(String name, String... args) throws IOException {
        Path out = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", CommandLineTest.SLICE, "--limit", "4", "--steps", "8", "-q", "--out", out.toString()));
        CliRun r = CliRun.of(all.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        return Npy.read(out.resolve("attributions.npy")).floats();
    }

    private static void assertClose(float[] a, float[] b, String what) {
        double max = 0;
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i]));
            err = Math.max(err, Math.abs(a[i] - b[i]));
        }
        assertTrue(max > 0 && err <= 1e-4 * max, what + ": max error " + err + " of " + max);
    }

    @Test
    void bothBackendsAndTorchScriptGiveTheSameMaps() throws IOException {
        Path golden = FixturePaths.fixture("golden", "smallbn");
        String fovea = golden.resolve("smallbn.fovea").toString();
        for (String m : new String[] {"grad-cam", "integrated-gradients", "occlusion"}) {
            float[] engine = maps(m + "-e", "explain", m, "-m", fovea, "--layer", "6");
            float[] lt = maps(m + "-l", "explain", m, "-m", fovea, "--layer", "6", "--backend", "libtorch");
            assertClose(engine, lt, m + " engine vs libtorch");
        }
        float[] engine = maps("cam-e", "explain", "grad-cam", "-m", fovea, "--layer", "6");
        float[] ts = maps("cam-ts", "explain", "grad-cam", "-m", golden.resolve("smallbn.pt").toString(), "--layer", "6");
        assertClose(engine, ts, "grad-cam at the TorchScript model's features layer");
    }

    /** Every option of every method has a flag on fovea explain, and a flag's default is the method's (trust checks: where they have one). */
    @Test
    void theFlagsOfTheMethodsOptionsDefaultToTheLibrarysDefaults() {
        CommandLine cli = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getSubcommands().get("explain");
        for (CommandSpec spec : List.of(cli.getCommandSpec(), cli.getSubcommands().get("sanity").getCommandSpec(),
                cli.getSubcommands().get("deletion").getCommandSpec())) {
            for (Attribution a : Explainers.all()) {
                for (OptionInfo o : a.optionInfo()) {
                    OptionSpec flag = Flags.option(o.name(), spec);
                    if (spec == cli.getCommandSpec()) {
                        assertNotNull(flag, a.name() + " " + o.name() + " has a flag");
                    }
                    if (flag != null && flag.defaultValue() != null) {
                        assertEquals(a.defaultOptions(), a.options(Map.of(o.name(), flag.defaultValue())),
                                spec.qualifiedName() + " " + flag.longestName() + " defaults to " + a.name() + "'s " + o.name());
                    }
                }
            }
        }
    }

    @Test
    void listDescribesEveryRegisteredMethod() {
        CliRun r = CliRun.of("explain", "--list");
        assertEquals(0, r.code());
        for (String m : Explainers.names()) {
            assertTrue(r.out().contains(m), m + " in " + r.out());
        }
        for (String tool : new String[] {"visualize", "filters", "features", "top", "plane", "sanity", "deletion", "robustness"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + tool + " ")), tool + " in " + r.out());
        }
    }

    private CliRun bad(String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(new String[] {"-m", MODEL, "--data", CommandLineTest.SLICE, "--out", dir.resolve("bad").toString()}, 0, all,
                args.length + 1, 6);
        CliRun r = CliRun.of(all);
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(dir.resolve("bad").resolve("explain.json")));
        return r;
    }

    @Test
    void badInputSaysOneLineAndExitsWithTwo() {
        assertTrue(bad("grad-cam", "--layer", "conv9").err().contains("unknown layer 'conv9' (layers: 0, 1, 2, 3"), "lists the layers");
        assertTrue(bad("grad-cam", "--layer", "8").err().contains("--layer 8: expected a convolutional layer"));
        assertTrue(bad("occlusion", "--window", "29").err().contains("--window 29 is larger than the image (28x28)"));
        assertTrue(bad("smoothgrad", "--noise", "-1").err().contains("--noise must be >= 0, got -1"));
        assertTrue(bad("magic").err().contains("unknown method 'magic' (known: saliency,"));
        assertTrue(bad("lime", "--samples", "0").err().contains("--samples must be in [1,10000], got 0"));
        assertTrue(bad("feature-ablation", "--segmentation", "grid", "--cell", "29").err().contains("--cell 29 is larger than the image (28x28)"));
        assertTrue(bad("kernel-shap", "--segmentation", "hexagons").err().contains("--segmentation: expected one of slic, grid"));
        assertTrue(bad("lime", "--option", "kernelWidth=-1").err().contains("--option kernelWidth must be finite and > 0, got -1.0"));
        assertTrue(bad("saliency", "--target", "Hat").err().contains("--target: expected label, pred"));
        assertTrue(bad("integrated-gradients", "--rule", "simpson").err().contains("--rule: expected one of left, right"));
        assertTrue(bad("integrated-gradients", "--steps", "0").err().contains("--steps must be >= 1, got 0"));
    }
}
