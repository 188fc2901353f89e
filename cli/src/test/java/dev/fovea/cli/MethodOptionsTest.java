package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.Attacks;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.explain.Explainers;
import dev.fovea.image.Images;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -O/--option NAME=VALUE} reaches a method's own options on {@code fovea attack} and {@code fovea explain},
 * built-in or registered at run time, and lands in the provenance; {@code --list} shows every method's options
 * with their defaults; an unknown option or a bad value is one usage line naming {@code --option} and the option.
 */
class MethodOptionsTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @BeforeAll
    static void register() {
        Attacks.register(new FakeMethods.Brighten("test-scaled", "Adds scale * eps to every pixel (an options test). L-inf, black box."));
        Explainers.register(new FakeMethods.Gain("test-gain", "The input times gain (an options test). Unsigned, [N,C,H,W]."));
    }

    @AfterAll
    static void unregister() {
        Attacks.unregister("test-scaled");
        Explainers.unregister("test-gain");
    }

    @TempDir
    Path dir;

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void attackListShowsEachAttacksOptionsUnderItsLine() {
        CliRun r = CliRun.of("attack", "--list");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        for (Attack a : Attacks.all()) {
            int at = lines.indexOf(lines.stream().filter(l -> l.startsWith(a.name() + " ")).findFirst().orElseThrow());
            String next = at + 1 < lines.size() ? lines.get(at + 1) : "";
            if (a.optionInfo().isEmpty()) {
                assertFalse(next.startsWith("    options:"), a.name() + ": " + next);
            } else {
                assertTrue(next.startsWith("    options: "), a.name() + ": " + next);
                for (OptionInfo o : a.optionInfo()) {
                    assertTrue(next.contains(" " + o.name() + "=" + o.defaultValue()), a.name() + ": " + next);
                }
            }
        }
        assertTrue(lines.contains("    options: searchSteps=9 initialConst=0.1 kappa=0.0 abortEarly=false"), r.out());
        assertTrue(lines.contains("    options: candidates=10 overshoot=0.02"), r.out());
        assertTrue(lines.contains("    options: decay=1.0"), r.out());
        assertTrue(lines.contains("    options: pInit=0.8"), r.out());
        assertTrue(lines.contains("    options: scale=1.0"), "a registered attack's options: " + r.out());
    }

    @Test
    void anAttacksOptionsGoThroughTheRegistryIntoTheRunAndItsProvenance() throws IOException {
        Path out = dir.resolve("cw");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "4", "--method", "cw", "--eps", "1", "--steps", "10",
                "-O", "kappa=1", "--option", "searchSteps=2", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = json(out.resolve("attack.json"));
        JsonNode own = j.get("provenance").get("options").get("options");
        assertEquals(2, own.get("search_steps").asInt(), own.toString());
        assertEquals(1.0, own.get("kappa").asDouble(), own.toString());
        assertEquals(0.1, own.get("initial_const").asDouble(), own.toString());
        float[] written = Npy.read(out.resolve(j.get("results").get(0).get("adversarial").asText())).floats();
        try (Classifier m = ModelLoader.open(Path.of(MODEL))) {
            Dataset d = DataSpec.load(DATA, m.inputShape()).limit(4);
            AttackRun plan = AttackRun.of("cw", 1).withSteps(10).withOptions(Map.of("kappa", "1", "searchSteps", "2"));
            assertArrayEquals(plan.run(m, d).budgets().get(0).result().adversarial().data(), written, "the library's run with these options");
        }
    }

    @Test
    void aRegisteredAttacksOptionIsReachable() throws IOException {
        Path out = dir.resolve("scaled");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "4", "--method", "test-scaled", "--eps", "0.2", "-O", "scale=0.5",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = json(out.resolve("attack.json"));
        assertEquals(0.1, j.get("results").get(0).get("linf").get("max").asDouble(), 1e-6, "half the budget");
        assertEquals(0.5, j.get("provenance").get("options").get("options").get("scale").asDouble());
    }

    private CliRun usage(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line: " + r);
        assertFalse(r.err().contains("\tat "), r.toString());
        return r;
    }

    @Test
    void anUnknownOrBadAttackOptionIsOneUsageLine() {
        String[] base = {"attack", "-m", MODEL, "--data", DATA, "--limit", "2", "--out", dir.resolve("bad").toString()};
        assertEquals("fovea attack: --option foo: not an option of cw (options: searchSteps, initialConst, kappa, abortEarly)",
                usage(concat(base, "--method", "cw", "-O", "foo=1")).err().strip());
        assertEquals("fovea attack: --option decay: not an option of pgd, which has none",
                usage(concat(base, "--method", "pgd", "-O", "decay=1")).err().strip());
        assertEquals("fovea attack: --option kappa must be >= 0, got -1.0", usage(concat(base, "--method", "cw", "-O", "kappa=-1")).err().strip());
        assertEquals("fovea attack: --option overshoot: expected a number, got 'far'",
                usage(concat(base, "--method", "deepfool", "-O", "overshoot=far")).err().strip());
        CliRun noValue = CliRun.of(concat(base, "--method", "cw", "-O", "kappa"));
        assertEquals(Cli.USAGE, noValue.code(), noValue.toString());
        assertTrue(noValue.err().contains("KEY=VALUE"), "picocli's message: " + noValue);
        assertEquals("fovea attack: --steps must be at least 1, got 0", usage(concat(base, "--method", "cw", "--steps", "0", "-O", "kappa=1")).err().strip(),
                "a flag's error names the flag, though --option names the same attack");
        assertFalse(Files.exists(dir.resolve("bad").resolve("attack.json")));
    }

    @Test
    void explainListShowsEachMethodsOptions() {
        CliRun r = CliRun.of("explain", "--list");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("    options: window=4 stride=2 baselineValue=0.0"), r.out());
        assertTrue(lines.contains("    options: gain=1.0"), r.out());
        int ig = lines.indexOf(lines.stream().filter(l -> l.startsWith("integrated-gradients ")).findFirst().orElseThrow());
        assertEquals("    options: steps=32 rule=gauss-legendre baseline=black baselineImage", lines.get(ig + 1), "a default the method derives: the name alone");
        int saliency = lines.indexOf(lines.stream().filter(l -> l.startsWith("saliency ")).findFirst().orElseThrow());
        assertFalse(lines.get(saliency + 1).startsWith("    options:"), "saliency has none");
    }

    @Test
    void explainOptionsByNameEqualTheirFlags() throws IOException {
        Path flags = dir.resolve("flags");
        Path named = dir.resolve("named");
        String[] base = {"explain", "occlusion", "-m", MODEL, "--data", DATA, "--limit", "2", "-q"};
        assertEquals(0, CliRun.of(concat(base, "--window", "7", "--stride", "3", "--out", flags.toString())).code());
        CliRun r = CliRun.of(concat(base, "-O", "window=7", "--stride", "3", "--out", named.toString()));
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Files.readAllBytes(flags.resolve("attributions.npy")), Files.readAllBytes(named.resolve("attributions.npy")));
        assertEquals(7, json(named.resolve("explain.json")).get("provenance").get("options").get("options").get("window").asInt());
        CliRun over = CliRun.of(concat(base, "--window", "5", "-O", "window=7", "--stride", "3", "--out", dir.resolve("over").toString()));
        assertEquals(0, over.code(), over.toString());
        assertArrayEquals(Files.readAllBytes(flags.resolve("attributions.npy")), Files.readAllBytes(dir.resolve("over").resolve("attributions.npy")),
                "--option wins over the flag");
    }

    @Test
    void aRegisteredAttributionMethodsOptionIsReachable() throws IOException {
        Path out = dir.resolve("gain");
        CliRun r = CliRun.of("explain", "test-gain", "-m", MODEL, "--data", DATA, "--limit", "2", "-O", "gain=3", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        try (Classifier m = ModelLoader.open(Path.of(MODEL))) {
            Tensor x = DataSpec.load(DATA, m.inputShape()).limit(2).images();
            float[] maps = Npy.read(out.resolve("attributions.npy")).floats();
            for (int i = 0; i < maps.length; i++) {
                assertEquals(3 * x.data()[i], maps[i], 1e-6, "index " + i);
            }
        }
        assertEquals(3.0, json(out.resolve("explain.json")).get("provenance").get("options").get("options").get("gain").asDouble());
    }

    @Test
    void aTensorOptionByNameIsReadFromItsFile() throws IOException {
        Path png = dir.resolve("gray.png");
        Tensor gray = Tensor.zeros(1, 28, 28);
        java.util.Arrays.fill(gray.data(), 0.5f);
        Images.writePng(png, gray);
        Path flag = dir.resolve("flag");
        Path named = dir.resolve("named");
        String[] base = {"explain", "integrated-gradients", "-m", MODEL, "--data", DATA, "--limit", "2", "--steps", "4", "--baseline", "image", "-q"};
        assertEquals(0, CliRun.of(concat(base, "--baseline-image", png.toString(), "--out", flag.toString())).code());
        CliRun r = CliRun.of(concat(base, "-O", "baselineImage=" + png, "--out", named.toString()));
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Files.readAllBytes(flag.resolve("attributions.npy")), Files.readAllBytes(named.resolve("attributions.npy")));
        assertEquals(png.toString(), json(named.resolve("explain.json")).get("provenance").get("options").get("baselineImage").asText());
    }

    @Test
    void anUnknownOrBadExplainOptionIsOneUsageLine() {
        String[] base = {"explain", "integrated-gradients", "-m", MODEL, "--data", DATA, "--limit", "2", "--out", dir.resolve("bad").toString()};
        assertEquals("fovea explain: --option foo: not an option of integrated-gradients (options: steps, rule, baseline, baselineImage)",
                usage(concat(base, "-O", "foo=1")).err().strip());
        assertEquals("fovea explain: --option steps must be >= 1, got 0", usage(concat(base, "-O", "steps=0")).err().strip());
        assertEquals("fovea explain: --steps must be >= 1, got 0", usage(concat(base, "--steps", "0")).err().strip(), "a flag's error as before");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
