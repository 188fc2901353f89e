package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.method.OptionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared options are declared once, in mixins, and every command takes them from there; closed sets are enums that
 * picocli converts through {@link Choices}, list in {@code --help} in lower case, and refuse in one line.
 */
class SharedOptionsTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    /** The commands that take a model, by their names under {@code fovea}. */
    static final Set<String> TAKE_A_MODEL = Set.of("eval", "inspect", "predict", "attack", "explain", "explain visualize", "explain filters",
            "explain features", "explain top", "explain sanity", "explain deletion", "explain robustness", "bench", "augment", "bench augment", "audit", "certify",
            "universal");
    /** Those that run without {@code --model}: {@code attack --list}, {@code explain --list}, {@code augment --list}, bench's and audit's default model. */
    static final Set<String> MODEL_OPTIONAL = Set.of("attack", "explain", "bench", "augment", "bench augment", "audit");
    /** The commands that run a model for inference in chunks of {@code --batch-size}. */
    static final Set<String> RUN_INFERENCE = Set.of("eval", "predict", "attack", "certify", "explain", "explain visualize", "explain top",
            "explain sanity", "explain deletion", "augment", "bench augment", "audit", "universal");
    /**
     * Options of the shared names that mean something else: train's minibatch, seed (default 42) and model FILE,
     * bench's timed batch.
     */
    static final Set<String> OTHER_MEANINGS = Set.of("train --batch-size", "train --seed", "train --out", "bench --batch-size", "batch --out",
            "batch merge --out");

    @TempDir
    Path dir;

    /** Every command under {@code fovea} but help, by name ({@code "explain top"}). */
    static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> all = new TreeMap<>();
        walk(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), all);
        return all;
    }

    private static void walk(CommandLine cl, Map<String, CommandSpec> out) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                continue;
            }
            out.put(sub.getCommandSpec().qualifiedName().substring("fovea ".length()), sub.getCommandSpec());
            walk(sub, out);
        }
    }

    /** The class that declares the field of {@code o}. */
    private static Class<?> declaredIn(OptionSpec o) {
        assertTrue(o.userObject() instanceof Field, o.longestName() + " is an annotated field");
        return ((Field) o.userObject()).getDeclaringClass();
    }

    /** Whether {@code o} reaches {@code spec} through a mixin (or a mixin's mixin) of type {@code type}. */
    private static boolean throughMixin(CommandSpec spec, OptionSpec o, Class<?> type) {
        for (CommandSpec m : spec.mixins().values()) {
            if ((type.isInstance(m.userObject()) && m.options().contains(o)) || throughMixin(m, o, type)) {
                return true;
            }
        }
        return false;
    }

    private static String[] args(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void everyCommandTakesItsModelThroughModelOptions() {
        Map<String, CommandSpec> all = commands();
        assertTrue(all.keySet().containsAll(TAKE_A_MODEL), all.keySet().toString());
        for (Map.Entry<String, CommandSpec> c : all.entrySet()) {
            String name = c.getKey();
            CommandSpec spec = c.getValue();
            OptionSpec m = spec.findOption("--model");
            if (!TAKE_A_MODEL.contains(name)) {
                assertNull(m, name + " takes no model");
                continue;
            }
            assertNotNull(m, name + " takes --model");
            assertEquals(m, spec.findOption("-m"), name + ": -m is --model");
            assertTrue(ModelOptions.class.isAssignableFrom(declaredIn(m)), name + ": --model is ModelOptions', not " + declaredIn(m));
            assertTrue(throughMixin(spec, m, ModelOptions.class), name + ": --model comes with a ModelOptions mixin");
            assertEquals(!MODEL_OPTIONAL.contains(name), m.required(), name + ": --model required");
            for (String flag : List.of("--backend", "--device", "--input-shape", "--mean", "--std", "--classes")) {
                OptionSpec f = spec.findOption(flag);
                assertNotNull(f, name + " has " + flag);
                assertEquals(ModelFlags.class, declaredIn(f), name + " " + flag);
            }
        }
    }

    @Test
    void everyInferenceBatchSizeIsBatchOptionsWithOneDefault() {
        Set<String> defaults = new TreeSet<>();
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            OptionSpec b = c.getValue().findOption("--batch-size");
            if (RUN_INFERENCE.contains(c.getKey())) {
                assertNotNull(b, c.getKey() + " has --batch-size");
            }
            if (b == null || OTHER_MEANINGS.contains(c.getKey() + " --batch-size")) {
                continue;
            }
            assertEquals(BatchOptions.class, declaredIn(b), c.getKey() + " --batch-size");
            defaults.add(b.defaultValue());
        }
        assertEquals(Set.of(String.valueOf(BatchOptions.DEFAULT)), defaults);
        assertEquals(64, BatchOptions.DEFAULT);
    }

    @Test
    void seedAndOutputAreTheirMixinsWhereTheyMeanThat() {
        int seeds = 0;
        int outs = 0;
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            OptionSpec seed = c.getValue().findOption("--seed");
            if (seed != null && !OTHER_MEANINGS.contains(c.getKey() + " --seed")) {
                assertEquals(SeedOption.class, declaredIn(seed), c.getKey() + " --seed");
                assertEquals("0", seed.defaultValue(), c.getKey() + " --seed");
                seeds++;
            }
            OptionSpec out = c.getValue().findOption("--out");
            if (out != null && !OTHER_MEANINGS.contains(c.getKey() + " --out")) {
                assertTrue(OutputOptions.class.isAssignableFrom(declaredIn(out)), c.getKey() + " --out");
                assertEquals(out, c.getValue().findOption("-o"), c.getKey() + ": -o is --out");
                outs++;
            }
        }
        assertEquals(11, seeds, "attack, explain, visualize, plane, sanity, deletion, robustness, augment, audit, certify, universal");
        assertEquals(14, outs, "attack, explain and its eight tools, augment, audit, certify, universal");
        assertEquals("42", commands().get("train").findOption("--seed").defaultValue(), "train keeps its seed");
    }

    @Test
    void theBatchSizeIsCheckedWithOneMessage() {
        String out = dir.resolve("o").toString();
        Map<String, String[]> runs = Map.ofEntries(
                Map.entry("eval", args("eval", "-m", MODEL, "--data", DATA)),
                Map.entry("predict", args("predict", "-m", MODEL, dir.resolve("x.png").toString())),
                Map.entry("attack", args("attack", "-m", MODEL, "--data", DATA, "--out", out)),
                Map.entry("explain", args("explain", "saliency", "-m", MODEL, "--data", DATA, "--out", out)),
                Map.entry("explain visualize", args("explain visualize", "-m", MODEL, "--out", out)),
                Map.entry("explain top", args("explain top", "-m", MODEL, "--layer", "1", "--channel", "0", "--data", DATA, "--out", out)),
                Map.entry("explain sanity", args("explain sanity", "-m", MODEL, "--data", DATA, "--method", "saliency", "--out", out)),
                Map.entry("explain deletion", args("explain deletion", "-m", MODEL, "--data", DATA, "--method", "saliency", "--out", out)),
                Map.entry("augment", args("augment", "-m", MODEL, "--data", DATA, "--out", out)),
                Map.entry("bench augment", args("bench augment", "-m", MODEL)),
                Map.entry("audit", args("audit", "-m", MODEL, "--data", DATA, "--out", out)),
                Map.entry("certify", args("certify", "-m", MODEL, "--data", DATA, "--sigma", "0.25", "--out", out)),
                Map.entry("universal", args("universal", "-m", MODEL, "--data", DATA, "--eps", "1", "--out", out)));
        assertEquals(RUN_INFERENCE, runs.keySet());
        for (Map.Entry<String, String[]> e : runs.entrySet()) {
            List<String> a = new ArrayList<>(List.of(e.getValue()));
            a.addAll(List.of("--batch-size", "0", "-q"));
            CliRun r = CliRun.of(a.toArray(String[]::new));
            assertEquals(Cli.USAGE, r.code(), e.getKey() + ": " + r);
            assertEquals("fovea " + e.getKey() + ": --batch-size must be at least 1, got 0", r.err().strip(), e.getKey());
        }
    }

    /** The choices {@code o} lists, or {@code null} for an option of no closed set. */
    private static List<String> choices(OptionSpec o) {
        return o.completionCandidates() == null ? null : StreamSupport.stream(o.completionCandidates().spliterator(), false).toList();
    }

    @Test
    void enumOptionsListTheirConstantsAsUsersWriteThem() {
        int enums = 0;
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            for (OptionSpec o : c.getValue().options()) {
                if (o.type().isEnum()) {
                    List<String> spelled = Arrays.stream(o.type().getEnumConstants()).map(e -> OptionInfo.spelling((Enum<?>) e)).toList();
                    assertEquals(spelled, choices(o), c.getKey() + " " + o.longestName());
                    enums++;
                }
            }
        }
        assertTrue(enums >= 14, enums + " enum options");
    }

    @Test
    void aWrongChoiceIsOneLineNamingTheFlagAndEveryChoice() {
        int checked = 0;
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            for (OptionSpec o : c.getValue().options()) {
                List<String> choices = choices(o);
                if (choices == null) {
                    continue;
                }
                CliRun r = CliRun.of(args(c.getKey(), o.longestName(), "bogus"));
                String what = c.getKey() + " " + o.longestName() + ": " + r;
                assertEquals(Cli.USAGE, r.code(), what);
                assertEquals(1, r.errLines(), what);
                String line = r.err().strip();
                assertTrue(line.startsWith("fovea " + c.getKey() + ": " + o.longestName()), what);
                assertTrue(line.endsWith("got 'bogus'"), what);
                for (String choice : choices) {
                    assertTrue(line.contains(choice), choice + " in " + what);
                }
                checked++;
            }
        }
        assertTrue(checked >= 30, checked + " options checked");
        assertEquals("fovea explain: --rule: expected one of left, right, middle, trapezoid, gauss-legendre, got 'simpson'",
                CliRun.of("explain", "--rule", "simpson").err().strip());
        assertEquals("fovea explain deletion: --mode: expected one of deletion, insertion, both, got 'sideways'",
                CliRun.of("explain", "deletion", "--mode", "sideways").err().strip());
        assertEquals("fovea bench: --arch: expected one of mlp, lenet5, convnet, resnet8, resnet20, resnet18, got 'vgg'",
                CliRun.of("bench", "--arch", "lenet5,vgg").err().strip());
    }

    @Test
    void helpListsTheChoicesInLowerCase() {
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            String help = null;
            for (OptionSpec o : c.getValue().options()) {
                List<String> choices = choices(o);
                if (choices == null) {
                    continue;
                }
                if (help == null) {
                    CliRun r = CliRun.of(args(c.getKey(), "--help"));
                    assertEquals(0, r.code(), r.toString());
                    help = r.out().replaceAll("\\s+", " ");
                }
                assertTrue(help.contains(String.join(", ", choices)), c.getKey() + " --help lists " + o.longestName() + "'s " + choices + ": " + help);
            }
        }
        String explain = CliRun.of("explain", "--help").out().replaceAll("\\s+", " ");
        assertTrue(explain.contains("left, right, middle, trapezoid, gauss-legendre (default: gauss-legendre)"), explain);
        assertTrue(!explain.contains("GAUSS_LEGENDRE"), explain);
    }

    @Test
    void enumFlagsReachTheMethodAsItsOptionParserReadsThem() throws IOException {
        Path out = dir.resolve("ig");
        CliRun r = CliRun.of("explain", "integrated-gradients", "-m", MODEL, "--data", DATA, "--limit", "2", "--steps", "4", "--rule", "TRAPEZOID",
                "--baseline", "Uniform", "--score", "probability", "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode options = new ObjectMapper().readTree(out.resolve("explain.json").toFile()).get("options");
        assertEquals("trapezoid", options.get("rule").asText());
        assertEquals("uniform", options.get("baseline").asText());
        assertEquals("probability", options.get("score").asText());
        assertEquals(BatchOptions.DEFAULT, options.get("batch_size").asInt());
    }
}
