package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registering a method (attack or attribution) is all it takes for the command line to offer it: listed by {@code --list}, run by name. */
class RegistryDrivenTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    /** Brightens every pixel by eps: a black-box attack of one query that the registry knows nothing else about. */
    static final class Brighten extends Attack {
        @Override
        public String name() {
            return "test-brighten";
        }

        @Override
        public String describe() {
            return "Adds eps to every pixel (a registry test). L-inf, black box.";
        }

        @Override
        public boolean whiteBox() {
            return false;
        }

        @Override
        public Norm defaultNorm() {
            return Norm.LINF;
        }

        @Override
        public java.util.Set<Norm> norms() {
            return java.util.EnumSet.of(Norm.LINF);
        }

        @Override
        public AttackConfig defaults(Norm norm, double eps) {
            return new AttackConfig(norm, eps, 1, eps > 0 ? eps : 1e-3, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED);
        }

        @Override
        public List<OptionInfo> options() {
            return List.of(OptionInfo.of("eps", "double", null, "the brightening"));
        }

        @Override
        protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) cfg.eps();
            }
            return x;
        }
    }

    /** The input itself as the map: an attribution method the registry knows nothing else about. */
    static final class Identity extends Attribution {
        @Override
        public String name() {
            return "test-identity";
        }

        @Override
        public String describe() {
            return "The input as its own map (a registry test). Unsigned, [N,C,H,W].";
        }

        @Override
        public boolean signed() {
            return false;
        }

        @Override
        public Kind kind() {
            return Kind.INPUT;
        }

        @Override
        protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
            return new AttributionResult(x, new double[x.dim(0)], null, null);
        }
    }

    @BeforeAll
    static void register() {
        Attacks.register(new Brighten());
        Explainers.register(new Identity());
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
