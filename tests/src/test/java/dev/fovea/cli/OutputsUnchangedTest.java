package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.FixturePaths;
import dev.fovea.io.ResultFolder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea attack} and {@code fovea explain} write, for a fixed seed, the same files as the commands did before
 * their work moved into the runs and report sections of the audit module: the files under
 * {@code src/test/resources/outputs-before/CASE} were written by the earlier commands with the arguments below.
 * Arrays, tables and pictures must match byte for byte; the JSON files too, once the wall time ({@code seconds})
 * and the {@code provenance} block added since (Java, OS, start time) are taken out and the model and data paths
 * are made relative to the repository as they were given then; stdout line for line, but for the output folder's
 * name and the timing line of {@code explain}. The folder holds one file more, the {@link ResultFolder#MARKER} that
 * marks it as a result.
 *
 * <p>{@code attack-autoattack-fast} was written by {@code --method autoattack} when that was the three-part ensemble
 * (APGD-CE, APGD-T, Square), which is {@code autoattack-fast} now that {@code autoattack} is AutoAttack's standard
 * version with FAB-T: its arrays, table and grid are byte for byte those of before, its {@code attack.json} and
 * stdout differ only in the method's name, and its {@code robustness.png} (whose title and legend name the method)
 * was written again under the new name.
 *
 * <p>{@code attack-diagnostics}' {@code attack.json} and stdout were written again when the black-box check got a
 * query budget proportionate to PGD-20 (550 queries, no longer Square's 5000) and the checks said their plan up
 * front; the plan's time estimate, which follows the machine, is left out of the comparison.
 *
 * <p>The JSON and CSV files were written again when the reports began to record classes by name and the data's
 * files by digest: {@code samples.csv} has name columns after the unchanged index columns, {@code attack.json} the
 * step size, the samples asked for, the command line and the Java version, both JSON files {@code data_sha256} as
 * {@code sha256sum} prints it for the images file with {@code labels_sha256} and {@code subset_sha256} beside it,
 * {@code explain.json} each sample's label and prediction by name and {@code maps_shape} as an array; every other
 * value is as before. The command line is compared with the output folder written {@code OUT} and the paths made
 * relative to the repository, and the Java version, which differs between machines, is taken out as the
 * {@code provenance} block is.
 *
 * <p>The pictures were written again when they were made to say what they show: every attack case's
 * {@code robustness.png} (0 to 1, from the clean accuracy at eps 0, with the diagnostics' attacks) and its grids, now
 * one per positive budget (titled, with column headers, the true label and the perturbation's norm), the deepfool
 * case's {@code minimal_perturbation.png} (a fraction), and every explain case's {@code grid.png} (headers, labels and
 * each row's colour bar).
 */
class OutputsUnchangedTest {
    static final Path BEFORE = Path.of("src", "test", "resources", "outputs-before");
    static final String M = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String D = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    /** The repository's root, as the earlier commands were run from it. */
    static final String ROOT = FixturePaths.fixture("models").getParent().getParent().toString() + java.io.File.separator;

    @TempDir
    Path dir;

    static Stream<List<String>> cases() {
        return Stream.of(
                List.of("attack-pgd", "attack", "-m", M, "--data", D, "--limit", "12", "--method", "pgd", "--eps", "0,0.05,0.1", "--seed", "7"),
                List.of("attack-fgm-targeted", "attack", "-m", M, "--data", D, "--limit", "10", "--method", "fgm", "--norm", "l2", "--eps",
                        "0.5,1", "--targeted", "random", "--seed", "3"),
                List.of("attack-autoattack-fast", "attack", "-m", M, "--data", D, "--limit", "8", "--method", "autoattack-fast", "--steps", "5", "--eps",
                        "0.05", "--seed", "1"),
                List.of("attack-deepfool", "attack", "-m", M, "--data", D, "--limit", "8", "--method", "deepfool", "--eps", "0,0.05,0.1",
                        "--seed", "0"),
                List.of("attack-diagnostics", "attack", "-m", M, "--data", D, "--limit", "8", "--method", "pgd", "--eps", "0.05,0.1",
                        "--diagnostics", "--seed", "2"),
                List.of("explain-ig", "explain", "integrated-gradients", "-m", M, "--data", D, "--limit", "6", "--steps", "16", "--seed", "5"),
                List.of("explain-smoothgrad", "explain", "smoothgrad", "-m", M, "--data", D, "--limit", "6", "--samples", "8", "--seed", "5"),
                List.of("explain-gradcam", "explain", "grad-cam", "-m", M, "--data", D, "--limit", "6", "--target", "label"),
                List.of("explain-occlusion", "explain", "occlusion", "-m", M, "--data", D, "--limit", "4", "--window", "6", "--stride", "4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameFilesAsBefore(List<String> c) throws IOException {
        String name = c.get(0);
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(c.subList(1, c.size()));
        args.addAll(List.of("--out", out.toString(), "-q"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        Path before = BEFORE.resolve(name);
        assertEquals(names(before), names(out).stream().filter(f -> !f.equals(ResultFolder.MARKER)).toList(), name + ": the files written");
        assertTrue(ResultFolder.isResult(out), name + ": marked as a result");
        for (String f : names(before)) {
            if (f.endsWith(".json")) {
                assertEquals(comparable(before.resolve(f), "OUT"), comparable(out.resolve(f), out.toString()), name + "/" + f);
            } else {
                assertArrayEquals(Files.readAllBytes(before.resolve(f)), Files.readAllBytes(out.resolve(f)), name + "/" + f + " differs");
            }
        }
        String beforeOut = Files.readString(BEFORE.resolve(name + ".stdout"))
                .replace(Path.of("tests", "src", "test", "resources", "outputs-before", name).toString(), "OUT");
        assertEquals(stdout(beforeOut), stdout(r.out().replace(out.toString(), "OUT").replace(ROOT, "")), name + ": stdout");
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The JSON file without provenance, times and Java version, its paths relative to the repository and its output folder {@code OUT}. */
    private static String comparable(Path json, String outDir) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode n = m.readTree(json.toFile());
        ObjectNode o = (ObjectNode) n;
        o.remove(List.of("provenance", "seconds", "java_version"));
        for (String path : List.of("model", "data")) {
            o.put(path, o.get(path).asText().replace(ROOT, ""));
        }
        o.put("command_line", o.get("command_line").asText().replace(" --out " + outDir + " ", " --out OUT ").replace(ROOT, ""));
        return m.writeValueAsString(n);
    }

    private static String stdout(String s) {
        return s.lines().filter(l -> !l.matches("\\d+ images in .* s \\(.* images/s\\)"))
                .map(l -> l.replaceAll(" \\(up to roughly .*\\):$", ":"))
                .collect(Collectors.joining("\n"));
    }
}
