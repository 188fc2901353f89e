package dev.fovea.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -} as a file name: {@code --json -} writes the JSON to standard output and nothing else goes there, so it
 * parses as it is; an option that names a folder of several files ({@code --out DIR}, {@code augment --export})
 * and {@code train --out FILE.fovea} refuse {@code -} in one line instead of making a file or folder named {@code -}.
 */
class StandardOutputTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String SEVERAL = ": expected a folder, got '-': the results are several files, which standard output cannot carry";

    @TempDir
    Path dir;

    @Test
    void evalJsonToStandardOutputIsTheJsonAlone() throws IOException {
        CliRun r = CliRun.of("eval", "-m", MODEL, "--data", DATA, "--limit", "20", "--json", "-");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = STRICT.readTree(r.out());
        assertEquals(20, j.get("n").asInt());
        assertEquals(10, j.get("confusion").size());
        assertTrue(r.out().strip().startsWith("{") && r.out().strip().endsWith("}"), "no table before or after it: " + r.out());
        assertEquals("", r.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    /** {@code command} with a value for each of its required options (a choice of its own where it has some) and positional parameters, then {@code more}. */
    private static List<String> args(String command, CommandSpec spec, String... more) {
        List<String> a = new ArrayList<>(List.of(command.split(" ")));
        for (OptionSpec o : spec.options()) {
            if (o.required() && !o.longestName().equals("--out")) {
                a.add(o.longestName());
                a.add(o.completionCandidates() == null ? "1" : o.completionCandidates().iterator().next());
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            a.add(command.equals("explain") ? "saliency" : "x");
        }
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void everyFolderOutputRefusesStandardOutputInOneLine() {
        Set<String> refused = new TreeSet<>();
        for (Map.Entry<String, CommandSpec> c : SharedOptionsTest.commands().entrySet()) {
            if (c.getValue().findOption("--out") == null) {
                continue;
            }
            List<String> a = args(c.getKey(), c.getValue(), "--out", "-");
            CliRun r = CliRun.of(a.toArray(String[]::new));
            String what = String.join(" ", a) + ": " + r;
            assertEquals(Cli.USAGE, r.code(), what);
            assertEquals(1, r.errLines(), what);
            String expected = c.getKey().equals("train")
                    ? "fovea train: --out: expected a .fovea file, got '-': a model is written to a file, which the other commands read by its name"
                    : "fovea " + c.getKey() + ": --out" + SEVERAL;
            assertEquals(expected, r.err().strip(), what);
            assertEquals("", r.out(), what);
            refused.add(c.getKey());
        }
        assertEquals(17, refused.size(), "the 14 commands of OutputOptions, batch, batch merge and train: " + refused);
        CliRun export = CliRun.of("augment", "-m", MODEL, "--data", DATA, "--export", "-");
        assertEquals(Cli.USAGE, export.code(), export.toString());
        assertEquals("fovea augment: --export" + SEVERAL, export.err().strip());
        assertFalse(Files.exists(Path.of("-")), "no file or folder named -");
    }
}
