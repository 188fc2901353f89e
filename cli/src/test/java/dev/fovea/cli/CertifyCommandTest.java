package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea certify}: a small run writes its report; bad input is one line on stderr and exit 2, before any work. */
class CertifyCommandTest {
    private static final String SLICE = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    private static final String LENET = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    private CliRun certify(Path out, String... extra) {
        String[] base = {"certify", "--model", LENET, "--data", SLICE, "--limit", "5", "-q", "--out", out.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void certifiesAndWritesTheReport() throws IOException {
        Path out = dir.resolve("cert");
        CliRun r = certify(out, "--sigma", "0.25", "--n0", "10", "--n", "100", "--alpha", "0.01", "--radii", "0,0.25,1/4,0.5", "--seed", "2");
        assertEquals(0, r.code(), r.toString());
        assertEquals("fovea certify: note: --radii 0.25 is given more than once; it runs once", r.err().strip(), "0.25 and 1/4 are one radius");
        assertTrue(r.out().contains("smoothed with sigma 0.25, n0 10, n 100, alpha 0.01"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("0.25 ")), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("certify.json").toFile());
        assertEquals(5, j.get("samples").asInt());
        assertEquals(2, j.get("seed").asInt());
        assertTrue(j.get("provenance").get("command").asText().equals("certify"));
        assertEquals(6, Files.readAllLines(out.resolve("certify.csv")).size());
        assertTrue(Files.exists(out.resolve("certified_accuracy.png")));
    }

    private void usage(String line, String... extra) {
        Path out = dir.resolve("bad");
        CliRun r = certify(out, extra);
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertEquals(line, r.err().strip(), r.toString());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        usage("fovea certify: --sigma must be a positive number (pixel units), got 0.0", "--sigma", "0");
        usage("fovea certify: --sigma must be a positive number (pixel units), got -0.25", "--sigma", "-0.25");
        usage("fovea certify: --n0 must be at least 1, got 0", "--sigma", "0.25", "--n0", "0");
        usage("fovea certify: --n must be at least 1, got -3", "--sigma", "0.25", "--n", "-3");
        usage("fovea certify: --alpha must be in (0,1), got 1.0", "--sigma", "0.25", "--alpha", "1");
        usage("fovea certify: --alpha must be in (0,1), got 0.0", "--sigma", "0.25", "--alpha", "0");
        usage("fovea certify: --radii must be finite and >= 0 (L2, pixel units), got -1.0", "--sigma", "0.25", "--radii", "-1");
        usage("fovea certify: --attack: expected one of " + String.join(", ", new Choices.L2Attacks()) + ", got 'jsma'", "--sigma", "0.25", "--attack", "jsma");
        CliRun missing = certify(dir.resolve("bad"));
        assertEquals(Cli.USAGE, missing.code(), missing.toString());
        assertEquals(1, missing.errLines(), missing.toString());
        assertTrue(missing.err().contains("--sigma"), missing.toString());
        CliRun unknown = certify(dir.resolve("bad"), "--sigma", "0.25", "--sigmas", "0.5");
        assertEquals(Cli.USAGE, unknown.code(), unknown.toString());
        assertEquals(1, unknown.errLines(), unknown.toString());
        assertTrue(unknown.err().startsWith("fovea certify: Unknown option"), unknown.toString());
    }
}
