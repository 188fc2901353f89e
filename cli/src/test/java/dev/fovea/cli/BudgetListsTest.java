package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Budgets as torchattacks and AutoAttack users type them: every budget and step-size option of every command reads
 * {@code 8/255}, and a budget given twice in a list runs once with a note on stderr (attack's {@code --eps}, an
 * audit plan file's and a batch spec's {@code eps} here, certify's {@code --radii} in {@link CertifyCommandTest}).
 */
class BudgetListsTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    /** The options that take a budget, a radius or a step size in pixel units. */
    static final Set<String> BUDGET_FLAGS = Set.of("--eps", "--radii", "--step-size");

    @TempDir
    Path dir;

    @Test
    void everyBudgetOptionReadsFractions() throws Exception {
        Set<String> seen = new TreeSet<>();
        for (Map.Entry<String, CommandSpec> c : SharedOptionsTest.commands().entrySet()) {
            for (OptionSpec o : c.getValue().options()) {
                if (!BUDGET_FLAGS.contains(o.longestName())) {
                    continue;
                }
                String what = c.getKey() + " " + o.longestName();
                CommandLine.ITypeConverter<?>[] converters = o.converters();
                assertTrue(converters != null && converters.length == 1, what + " has its own converter");
                assertEquals(8 / 255.0, converters[0].convert("8/255"), what);
                assertEquals(0.03, converters[0].convert("0.03"), what);
                seen.add(what);
            }
        }
        assertEquals(Set.of("attack --eps", "attack --step-size", "certify --radii", "explain robustness --eps", "train --eps", "train --step-size",
                "universal --eps"), seen);
    }

    @Test
    void aFractionIsTheBudgetAndARepeatRunsOnceWithANote() throws IOException {
        Path out = dir.resolve("a");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "4", "--method", "fgsm", "--eps", "8/255,0,0.03137254901960784,0",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertEquals("fovea attack: note: --eps 0.0314, 0.0 are given more than once; each runs once", r.err().strip());
        JsonNode results = new ObjectMapper().readTree(out.resolve("attack.json").toFile()).get("results");
        assertEquals(2, results.size(), r.out());
        assertEquals(0.0, results.get(0).get("eps").asDouble());
        assertEquals(8 / 255.0, results.get(1).get("eps").asDouble());
        assertEquals(2, r.out().lines().filter(l -> l.matches("\\s+(0\\.0|0\\.0314)\\s+\\d.*%.*")).count(), "a row per budget: " + r.out());
        CliRun once = CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "4", "--method", "fgsm", "--eps", "8/255", "--out",
                dir.resolve("b").toString(), "-q");
        assertEquals("", once.err(), "no note without a repeat");
    }

    @Test
    void anAuditPlanFileReadsFractionsAndSaysWhichRepeatRunsOnce() throws IOException {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "attacks:\n  - {method: fgsm, eps: [8/255, 0.03137254901960784, 0.1]}\n");
        CliRun r = CliRun.of("audit", "-m", MODEL, "--data", DATA, "--limit", "10", "--sections", "model", "--plan", plan.toString(), "-o",
                dir.resolve("audit").toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertEquals("fovea audit: note: " + plan + ": attacks[0].eps: 0.0314 is given more than once; it runs once", r.err().strip());
        assertTrue(r.out().contains("attack fgsm-linf: eps 0.0314, 0.1;"), r.out());
    }

    @Test
    void aBatchSpecWithARepeatedBudgetSaysSoOnStderr() throws IOException {
        Path spec = dir.resolve("grid.yaml");
        Files.writeString(spec, "models: [" + Path.of(MODEL).toAbsolutePath() + "]\ndata: [{source: " + Path.of(DATA).toAbsolutePath()
                + ", limit: 4}]\nruns:\n  - {type: attack, method: fgsm, eps: [8/255, 0.1, 0.1]}\n");
        CliRun r = CliRun.of("batch", spec.toString(), "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertEquals("fovea batch: note: " + spec + ":4:39: runs[0].eps: 0.1 is given more than once; it runs once", r.err().strip());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("attack fgsm")), r.out());
        assertFalse(r.out().contains("note"), "the note is on stderr only");
    }
}
