package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.Idx;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
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

/**
 * {@code fovea train --adversarial}: an MLP trained on PGD examples of the first 600 fixture images resists PGD-20
 * on the 400 held-out ones clearly better than the same run without them, and its provenance says how it was made.
 */
class AdversarialTrainingTest {
    static final int TRAIN = 600;

    @TempDir
    static Path dir;

    static Path held;

    @BeforeAll
    static void holdOut() throws IOException {
        Dataset all = DataSpec.load(CommandLineTest.SLICE, null, null, null);
        int n = all.size() - TRAIN;
        byte[] px = new byte[n * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(all.images().data()[TRAIN * 784 + i] * 255f);
        }
        held = dir.resolve("held");
        Files.createDirectories(held);
        Idx.writeImages(held.resolve("t10k-images-idx3-ubyte"), px, n, 28, 28, false);
        Idx.writeLabels(held.resolve("t10k-labels-idx1-ubyte"), Arrays.copyOfRange(all.labels(), TRAIN, all.size()), false);
    }

    private static CliRun train(Path out, String... extra) {
        String[] base = {"train", "--arch", "mlp", "--data", CommandLineTest.SLICE, "--limit", String.valueOf(TRAIN), "--test-data", held.toString(),
                "--epochs", "4", "--batch-size", "32", "--seed", "3", "-q", "--out", out.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static double pgd20(Path model) throws IOException {
        Dataset d = DataSpec.load(held.toString(), null, null, null);
        Attack pgd = Attacks.named("pgd");
        AttackConfig c = pgd.defaults(0.1);
        try (EngineClassifier m = new EngineClassifier(ModelFile.load(model), 128)) {
            return pgd.run(m, d.images(), d.labels(), new AttackConfig(c.norm(), 0.1, 20, c.stepSize(), 1, true, c.target(), 11))
                    .robustAccuracy(d.labels());
        }
    }

    @Test
    void adversarialTrainingRaisesRobustAccuracy() throws IOException {
        Path plain = dir.resolve("plain.fovea");
        Path robust = dir.resolve("robust.fovea");
        CliRun p = train(plain);
        assertEquals(0, p.code(), p.toString());
        assertFalse(p.out().contains("robust"), p.out());
        CliRun r = train(robust, "--adversarial", "pgd", "--eps", "0.1", "--steps", "5", "--robust-eval", "100");
        assertEquals(0, r.code(), r.toString());
        assertEquals(4, r.out().lines().filter(l -> l.startsWith("epoch") && l.contains("robust")).count(), r.out());
        double accPlain = pgd20(plain);
        double accRobust = pgd20(robust);
        assertTrue(accRobust >= accPlain + 0.10, "PGD-20 robust accuracy at eps 0.1: adversarial " + accRobust + ", plain " + accPlain);
        try (ZipFile z = new ZipFile(robust.toFile())) {
            JsonNode a = new ObjectMapper().readTree(z.getInputStream(z.getEntry("model.json"))).get("provenance").get("adversarial");
            assertEquals("pgd", a.get("method").asText());
            assertEquals(0.1, a.get("eps").asDouble(), 1e-12);
            assertEquals(5, a.get("steps").asInt());
            assertEquals(0.05, a.get("step_size").asDouble(), 1e-9, "2.5 * eps / steps");
            assertEquals("eval", a.get("network_mode").asText());
            assertTrue(a.get("random_start").asBoolean());
            assertEquals(100, a.get("robust_eval_samples").asInt());
        }
    }

    private static void usage(String fragment, String... extra) {
        CliRun r = train(dir.resolve("bad.fovea"), extra);
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
        assertTrue(r.err().contains(fragment), r.toString());
    }

    @Test
    void badAdversarialOptionsAreUsageErrors() {
        usage("--eps must be in [0,1]", "--adversarial", "pgd", "--eps", "1.5");
        usage("--eps must be in [0,1]", "--adversarial", "pgd", "--eps", "-0.1");
        usage("--steps must be at least 1", "--adversarial", "pgd", "--eps", "0.1", "--steps", "0");
        usage("--adversarial: expected one of fgsm, fgm, bim, pgd", "--adversarial", "pgdx", "--eps", "0.1");
        usage("got 'square'", "--adversarial", "square", "--eps", "0.1");
        usage("--adversarial needs --eps", "--adversarial", "pgd");
        usage("fovea train: --eps needs --adversarial", "--eps", "0.1");
        usage("fovea train: --robust-eval needs --adversarial", "--robust-eval", "50");
        usage("--robust-eval must be >= 0", "--adversarial", "pgd", "--eps", "0.1", "--robust-eval", "-1");
        assertFalse(Files.exists(dir.resolve("bad.fovea")));
    }
}
