package dev.fovea.cli;

import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A method's option typed for a method that does not read it is ignored with one warning line on stderr, and the
 * command runs as without it; an option left at its default, or one the method reads, gets no warning.
 */
class IgnoredOptionsTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @TempDir
    Path dir;

    private CliRun run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    @Test
    void explainWarnsOnceAboutEveryFlagItsMethodIgnores() throws java.io.IOException {
        CliRun plain = run("explain", "saliency", "-m", MODEL, "--data", DATA, "--limit", "2", "-q", "--out", dir.resolve("a").toString());
        assertEquals("", plain.err());
        CliRun r = run("explain", "saliency", "-m", MODEL, "--data", DATA, "--limit", "2", "-q", "--window", "9", "--stride", "3", "--steps", "4",
                "--out", dir.resolve("b").toString());
        assertEquals("fovea explain: warning: ignored --steps, --window, --stride (not an option of saliency)", r.err().strip());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve("attributions.npy")), Files.readAllBytes(dir.resolve("b").resolve("attributions.npy")),
                "the maps as without them");
    }

    @Test
    void aBaselineImageWithoutTheImageBaselineIsIgnoredUnread() {
        CliRun r = run("explain", "integrated-gradients", "-m", MODEL, "--data", DATA, "--limit", "1", "--steps", "2", "-q",
                "--baseline-image", dir.resolve("not-there.png").toString(), "--out", dir.resolve("ig").toString());
        assertEquals("fovea explain: warning: ignored --baseline-image (read only with --baseline image)", r.err().strip());
    }

    @Test
    void attackWarnsAboutSharedOptionsItsMethodDoesNotRead() {
        CliRun r = run("attack", "-m", MODEL, "--data", DATA, "--limit", "2", "--method", "jsma", "--eps", "0.01", "--steps", "3", "--restarts", "2",
                "-q", "--out", dir.resolve("jsma").toString());
        assertEquals("fovea attack: warning: ignored --steps, --restarts (not an option of jsma)", r.err().strip());
        CliRun pgd = run("attack", "-m", MODEL, "--data", DATA, "--limit", "2", "--method", "pgd", "--eps", "0.01", "--steps", "2", "-q",
                "--out", dir.resolve("pgd").toString());
        assertTrue(pgd.err().isEmpty(), pgd.toString());
    }
}
