package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.attacks.Attacks;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.explain.Explainers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registering a method (attack or attribution) is all it takes for the command line to offer it: listed by {@code --list}, run by name. */
class RegistryDrivenTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @BeforeAll
    static void register() {
        Attacks.register(new FakeMethods.Brighten("test-brighten", "Adds eps to every pixel (a registry test). L-inf, black box."));
        Explainers.register(new FakeMethods.Gain("test-identity", "The input as its own map (a registry test). Unsigned, [N,C,H,W]."));
    }

    @AfterAll
    static void unregister() {
        Attacks.unregister("test-brighten");
        Explainers.unregister("test-identity");
    }

    @TempDir
    Path dir;

    @Test
    void aRegisteredAttackIsListed() {
        CliRun r = CliRun.of("attack", "--list");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("test-brighten ") && l.contains("Adds eps to every pixel")), r.out());
    }

    @Test
    void aRegisteredAttackRuns() throws IOException {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "6", "--method", "test-brighten", "--eps", "0,0.3", "--out",
                out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
        assertEquals("test-brighten", j.get("method").asText());
        JsonNode at = j.get("results").get(1);
        assertEquals(0.3, at.get("eps").asDouble());
        assertTrue(at.get("linf").get("max").asDouble() <= 0.3 + 1e-6, "the template keeps the result in the ball");
        assertTrue(at.get("linf").get("max").asDouble() > 0.1, "the perturbation was applied");
    }

    @Test
    void aRegisteredAttributionMethodIsListedAndRuns() throws IOException {
        CliRun list = CliRun.of("explain", "--list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("test-identity ")), list.out());
        Path out = dir.resolve("explain");
        CliRun r = CliRun.of("explain", "test-identity", "-m", MODEL, "--data", DATA, "--limit", "3", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explain.json").toFile());
        assertEquals("test-identity", j.get("method").asText());
        var maps = Npy.read(out.resolve("attributions.npy"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 1, 28, 28}, maps.shape());
    }

    @Test
    void aRegisteredAttackWithAnUnsupportedNormIsAUsageError() {
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--method", "test-brighten", "--norm", "l2", "--out", dir.toString());
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("--norm: test-brighten works in linf, got l2"), r.toString());
    }
}
