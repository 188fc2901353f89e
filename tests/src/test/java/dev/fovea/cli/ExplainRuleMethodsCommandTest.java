package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fovea explain with the rule-based methods and the further CAMs: DeepLift's completeness line and report, the
 * methods a TorchScript model cannot run refused in one line with exit 2, Ablation-CAM through a TorchScript model's
 * head equal to the engine's, and bad options in one line.
 */
class ExplainRuleMethodsCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final Path SMALLBN = FixturePaths.fixture("golden", "smallbn");

    @TempDir
    Path dir;

    @Test
    void deepLiftReportsItsSummationToDelta() throws IOException {
        Path out = dir.resolve("dl");
        CliRun r = CliRun.of("explain", "deep-lift", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "4", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("completeness: max |delta|"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explain.json").toFile());
        assertEquals("black", j.get("options").get("baseline").asText());
        for (JsonNode s : j.get("samples")) {
            assertTrue(Math.abs(s.get("delta").asDouble()) < 1e-3, "delta " + s);
        }
        Path lrp = dir.resolve("lrp");
        CliRun l = CliRun.of("explain", "lrp", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "2", "--lrp-rule", "alpha-beta",
                "--alpha", "2", "--beta", "1", "-q", "--out", lrp.toString());
        assertEquals(0, l.code(), l.toString());
        JsonNode o = new ObjectMapper().readTree(lrp.resolve("explain.json").toFile()).get("options");
        assertEquals("alpha-beta", o.get("lrp_rule").asText());
        assertEquals(2.0, o.get("alpha").asDouble());
    }

    private CliRun bad(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        return r;
    }

    @Test
    void onTorchScriptTheRuleMethodsSayWhyTheyAreUnavailable() {
        String pt = SMALLBN.resolve("smallbn.pt").toString();
        for (String m : new String[] {"deep-lift", "deep-lift-shap", "guided-backprop", "guided-grad-cam", "lrp"}) {
            CliRun r = m.equals("guided-grad-cam")
                    ? bad("explain", m, "-m", pt, "--layer", "6", "--data", CommandLineTest.SLICE, "--limit", "2", "--out", dir.resolve(m).toString())
                    : bad("explain", m, "-m", pt, "--data", CommandLineTest.SLICE, "--limit", "2", "--out", dir.resolve(m).toString());
            assertTrue(r.err().contains(m + ": not available for this model (libtorch backend): it needs per-layer backward rules"), r.err());
            assertFalse(Files.exists(dir.resolve(m).resolve("explain.json")));
        }
        CliRun fovea = bad("explain", "lrp", "-m", SMALLBN.resolve("smallbn.fovea").toString(), "--backend", "libtorch", "--data",
                CommandLineTest.SLICE, "--limit", "2", "--out", dir.resolve("lt").toString());
        assertTrue(fovea.err().contains("lrp: not available for this model (libtorch backend)"), fovea.err());
    }

    @Test
    void ablationCamThroughATorchScriptHeadIsTheEngines() throws IOException {
        float[] engine = maps("e", SMALLBN.resolve("smallbn.fovea").toString());
        float[] ts = maps("ts", SMALLBN.resolve("smallbn.pt").toString());
        double max = 0;
        double err = 0;
        for (int i = 0; i < engine.length; i++) {
            max = Math.max(max, Math.abs(engine[i]));
            err = Math.max(err, Math.abs(engine[i] - ts[i]));
        }
        assertTrue(max > 0 && err <= 1e-4 * max, "max error " + err + " of " + max);
    }

    private float[] maps(String name, String model) throws IOException {
        Path out = dir.resolve(name);
        CliRun r = CliRun.of("explain", "ablation-cam", "-m", model, "--layer", "6", "--data", CommandLineTest.SLICE, "--limit", "3", "-q",
                "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        return Npy.read(out.resolve("attributions.npy")).floats();
    }

    @Test
    void badOptionsSayOneLineAndExitWithTwo() {
        String[] tail = {"-m", MODEL, "--data", CommandLineTest.SLICE, "--out", dir.resolve("bad").toString()};
        assertTrue(bad(concat(new String[] {"explain", "lrp", "--beta", "0.5"}, tail)).err().contains("must be 1"));
        assertTrue(bad(concat(new String[] {"explain", "lrp", "--lrp-rule", "gamma"}, tail)).err().contains("--lrp-rule: expected one of epsilon, alpha-beta"));
        assertTrue(bad(concat(new String[] {"explain", "lrp", "-O", "gamma=0.25"}, tail)).err().contains("gamma"));
        assertTrue(bad(concat(new String[] {"explain", "gradient-shap", "--draws", "0"}, tail)).err().contains("--draws must be in [1, 10000], got 0"));
        assertTrue(bad(concat(new String[] {"explain", "deep-lift-shap", "--references", "0"}, tail)).err().contains("--references must be in"));
        assertTrue(bad(concat(new String[] {"explain", "score-cam", "--layer", "9"}, tail)).err().contains("--layer 9: expected a convolutional layer"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
