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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea train --augment}: one tiny epoch trains, the model says how, and bad specs are one-line usage errors. */
class AugmentTrainingTest {
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

    @Test
    void augmentedTrainingRunsAndRecordsItsSpec() throws IOException {
        Path m = dir.resolve("aug.fovea");
        CliRun r = train(m, "--augment", "flip,translate:2,rotate:15");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("augmenting: flip:0.5,translate:2,rotate:15"), r.out());
        JsonNode a = provenance(m).get("augment");
        assertEquals("flip:0.5,translate:2,rotate:15", a.get("spec").asText());
        assertEquals("cross-entropy", a.get("loss").asText());
        Path again = dir.resolve("again.fovea");
        assertEquals(0, train(again, "--augment", "flip,translate:2,rotate:15").code());
        assertArrayEquals(weights(m), weights(again), "same seed, same model");
    }

    private static byte[] weights(Path model) throws IOException {
        try (ZipFile z = new ZipFile(model.toFile())) {
            var e = z.getEntry("weights.safetensors");
            return z.getInputStream(e).readAllBytes();
        }
    }

    @Test
    void augMixTrainsWithItsConsistencyLoss() throws IOException {
        Path m = dir.resolve("augmix.fovea");
        CliRun r = train(m, "--augment", "flip,augmix");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Jensen-Shannon"), r.out());
        assertEquals("jensen-shannon consistency, lambda 12", provenance(m).get("augment").get("loss").asText());
    }

    @Test
    void augmentationsCombineWithAdversarialTraining() {
        CliRun r = train(dir.resolve("both.fovea"), "--augment", "flip", "--adversarial", "fgsm", "--eps", "0.05", "--robust-eval", "0");
        assertEquals(0, r.code(), r.toString());
    }

    private void usage(String line, String... extra) {
        CliRun r = train(dir.resolve("bad.fovea"), extra);
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertEquals(line, r.err().strip(), r.toString());
        assertFalse(Files.exists(dir.resolve("bad.fovea")));
    }

    @Test
    void badSpecsAreOneLineUsageErrors() {
        usage("fovea train: --augment: expected an augmentation, one of flip, hflip, vflip, translate, rotate, scale, shear, gamma, "
                + "hue-shift, channel-shift, cutout, augmix, got 'rotat'", "--augment", "flip,rotat:15");
        usage("fovea train: --augment: rotate: expected a number (degrees), got 'x'", "--augment", "rotate:x");
        usage("fovea train: --augment: rotate: expected a strength from 0 to 180 (degrees), got 181", "--augment", "rotate:181");
        usage("fovea train: --augment: translate: expected a whole number (pixels), got 0.5", "--augment", "translate:0.5");
        usage("fovea train: --augment augmix cannot be combined with --adversarial: AugMix trains on each image and two AugMix copies "
                + "with its own loss, adversarial training replaces the batch by attacked images",
                "--augment", "augmix", "--adversarial", "pgd", "--eps", "0.1");
        CliRun grey = train(dir.resolve("bad.fovea"), "--augment", "hue-shift");
        assertEquals(Cli.USAGE, grey.code(), grey.toString());
        assertEquals(1, grey.errLines(), grey.toString());
        assertTrue(grey.err().contains("--augment: hue-shift changes colours only") && grey.err().contains("[1,28,28]"), grey.toString());
    }
}
