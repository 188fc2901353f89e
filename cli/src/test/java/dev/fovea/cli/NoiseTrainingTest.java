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
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea train --noise}: a tiny epoch trains on noisy images, the model says so, and misuse is one line, exit 2. */
class NoiseTrainingTest {
    private static final String SLICE = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @TempDir
    Path dir;

    private CliRun train(Path out, String... extra) {
        String[] base = {"train", "--arch", "mlp", "--data", SLICE, "--limit", "48", "--epochs", "1", "--batch-size", "16", "--seed", "5",
                "-q", "--out", out.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static JsonNode provenance(Path model) throws IOException {
        try (ZipFile z = new ZipFile(model.toFile())) {
            return new ObjectMapper().readTree(z.getInputStream(z.getEntry("model.json"))).get("provenance");
        }
    }

    private static byte[] weights(Path model) throws IOException {
        try (ZipFile z = new ZipFile(model.toFile())) {
            return z.getInputStream(z.getEntry("weights.safetensors")).readAllBytes();
        }
    }

    @Test
    void noiseTrainingRunsAndIsRecorded() throws IOException {
        Path m = dir.resolve("noise.fovea");
        CliRun r = train(m, "--noise", "0.25");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("gaussian noise: sigma 0.25"), r.out());
        JsonNode n = provenance(m).get("noise");
        assertEquals(0.25, n.get("sigma").asDouble());
        assertTrue(n.get("space").asText().contains("not clipped"));
        Path plain = dir.resolve("plain.fovea");
        assertEquals(0, train(plain).code());
        assertFalse(provenance(plain).has("noise"));
        assertFalse(Arrays.equals(weights(m), weights(plain)), "the noise changes what is learnt");
        Path again = dir.resolve("again.fovea");
        assertEquals(0, train(again, "--noise", "0.25").code());
        assertTrue(Arrays.equals(weights(m), weights(again)), "same seed, same model");
        Path both = dir.resolve("both.fovea");
        CliRun a = train(both, "--noise", "0.25", "--augment", "flip");
        assertEquals(0, a.code(), a.toString());
        assertTrue(provenance(both).has("augment") && provenance(both).has("noise"));
    }

    private void usage(String line, String... extra) {
        CliRun r = train(dir.resolve("bad.fovea"), extra);
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertEquals(line, r.err().strip(), r.toString());
        assertFalse(Files.exists(dir.resolve("bad.fovea")));
    }

    @Test
    void misuseIsAOneLineUsageError() {
        usage("fovea train: --noise must be a positive number (pixel units), got 0.0", "--noise", "0");
        usage("fovea train: --noise must be a positive number (pixel units), got -0.5", "--noise", "-0.5");
        usage("fovea train: --noise cannot be combined with --adversarial: Gaussian data augmentation trains the base classifier "
                + "on noisy images, adversarial training on the base classifier's attacked images, and noise on those is neither",
                "--noise", "0.25", "--adversarial", "pgd", "--eps", "0.1");
    }
}
