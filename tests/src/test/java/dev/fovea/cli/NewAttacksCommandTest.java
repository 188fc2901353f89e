package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision-based attacks, FAB, EOT-PGD and the standard AutoAttack from the command line, and {@code fovea
 * universal}: they run and report what they found; bad input (a norm or target the method lacks, an impossible
 * budget, an unknown or out-of-range option, nothing held out) is one line on stderr and exit code 2.
 */
class NewAttacksCommandTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();

    @TempDir
    Path dir;

    private CliRun attack(String... extra) {
        List<String> args = new ArrayList<>(List.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "6", "--out",
                dir.resolve("out" + System.nanoTime()).toString(), "-q"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void usage(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line on stderr: " + r);
        assertFalse(r.err().contains("\tat "), r.toString());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr names '" + f + "': " + r);
        }
    }

    @Test
    void decisionBasedAttacksReportTheirMinimalPerturbations() throws IOException {
        for (String method : new String[] {"boundary", "hsj"}) {
            Path out = dir.resolve(method);
            CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "6", "--method", method, "--eps", "1,3",
                    "--steps", "300", "--out", out.toString(), "-q");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("minimal l2 perturbation: found for"), r.out());
            JsonNode j = new ObjectMapper().readTree(out.resolve("attack.json").toFile());
            assertEquals(method, j.get("method").asText());
            assertTrue(j.get("results").get(0).get("mean_queries").asDouble() <= 300, j.toString());
        }
    }

    @Test
    void theStandardEnsembleSaysWhichComponentFooledEachSample() throws IOException {
        Path out = dir.resolve("aa");
        CliRun r = CliRun.of("attack", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "12", "--method", "autoattack", "--norm", "l2",
                "--eps", "0.3", "--steps", "1", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode by = new ObjectMapper().readTree(out.resolve("attack.json").toFile()).get("results").get(0).get("fooled_by");
        int sum = 0;
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) by::fields) {
            assertTrue(List.of("clean", "none", "apgd-ce", "apgd-t", "fab-t", "square").contains(e.getKey()), by.toString());
            sum += e.getValue().asInt();
        }
        assertEquals(12, sum, by.toString());
        CliRun list = CliRun.of("attack", "--list");
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("autoattack ") && l.contains("APGD-CE, APGD-T (DLR), FAB-T, Square")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("autoattack-fast ")), list.out());
        for (String m : new String[] {"boundary", "hsj", "fab", "fab-t", "eot-pgd"}) {
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith(m + " ")), m + ": " + list.out());
        }
    }

    @Test
    void badInputIsOneUsageLine() {
        usage(attack("--method", "boundary", "--norm", "linf", "--eps", "0.1"), "boundary works in l2, got linf");
        usage(attack("--method", "hsj", "--targeted", "random", "--eps", "1"), "hsj is untargeted only");
        usage(attack("--method", "hsj", "--steps", "20000", "--eps", "1"), "--steps", "at most 10000");
        usage(attack("--method", "hsj", "--steps", "0", "--eps", "1"), "--steps", "at least 1");
        usage(attack("--method", "hsj", "-O", "maxEvals=10", "--eps", "1"), "--option maxEvals must be at least initEvals (100), got 10");
        usage(attack("--method", "fab-t", "-O", "foo=1", "--eps", "0.1"), "foo", "not an option of fab-t");
        usage(attack("--method", "fab", "-O", "targetClasses=3", "--eps", "0.1"), "targetClasses", "not an option of fab");
        usage(attack("--method", "eot-pgd", "-O", "samples=0", "--eps", "0.1"), "samples must be at least 1, got 0");
        usage(attack("--method", "boundary", "-O", "sphericalStep=-1", "--eps", "1"), "sphericalStep must be positive");
    }

    @Test
    void universalFitsOnePerturbationAndMeasuresItOnHeldOutImages() throws IOException {
        Path out = dir.resolve("uap");
        CliRun r = CliRun.of("universal", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "48", "--fit", "32", "--eps", "4", "--passes", "1",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("fitting on 32, 16 held out"), r.out());
        assertTrue(r.out().contains("held out: fooling rate"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("universal.json").toFile());
        assertEquals(32, j.get("fitted").asInt());
        assertEquals(16, j.get("held_out").asInt());
        assertTrue(j.get("perturbation_l2").asDouble() <= 4 + 1e-5, j.toString());
        assertTrue(j.get("fooling_rate_held_out").asDouble() > 0, j.toString());
        assertTrue(j.has("provenance"));
        Tensor v = Npy.read(out.resolve("perturbation.npy")).toTensor();
        assertEquals(List.of(1, 28, 28), List.of(v.dim(0), v.dim(1), v.dim(2)));
        assertTrue(Files.size(out.resolve("perturbation.png")) > 0);
    }

    @Test
    void universalBadInputIsOneUsageLine() {
        String[] base = {"universal", "-m", MODEL, "--data", CommandLineTest.SLICE, "--limit", "10", "--out", dir.resolve("u").toString(), "-q"};
        usage(run(base, "--eps", "2", "--fit", "10"), "--fit", "held out");
        usage(run(base, "--eps", "2", "--norm", "linf"), "eps must be positive and at most 1 for linf");
        usage(run(base, "--eps", "40"), "--eps must be at most sqrt(C*H*W)");
        usage(run(base, "--eps", "2", "--passes", "0"), "passes must be in [1,100], got 0");
        usage(run(base, "--eps", "2", "--norm", "l0"), "universal perturbations work in l2 or linf");
    }

    private static CliRun run(String[] base, String... extra) {
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }
}
