package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.image.Images;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code fovea explain} gives what it gave before, for the commands whose outputs are kept in
 * {@code outputs-before}: the maps byte for byte, the grid's pixels, and {@code explain.json} but for what depends
 * on the run (the seconds, the paths given, the versions).
 */
class ExplainOutputsBeforeTest {
    static final String MODEL = ExplainCommandTest.MODEL;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "explain-ig | integrated-gradients --limit 6 --steps 16 --seed 5",
            "explain-smoothgrad | smoothgrad --limit 6 --samples 8 --seed 5",
            "explain-gradcam | grad-cam --limit 6 --target label",
            "explain-occlusion | occlusion --limit 4 --window 6 --stride 4"})
    void sameOutputsAsBefore(String name, String args) throws IOException, URISyntaxException {
        Path before = Path.of(ExplainOutputsBeforeTest.class.getResource("/outputs-before/" + name).toURI());
        Path out = dir.resolve(name);
        List<String> all = new ArrayList<>(List.of("explain"));
        all.addAll(List.of(args.split(" ")));
        all.addAll(List.of("-m", MODEL, "--data", CommandLineTest.SLICE, "-q", "--out", out.toString()));
        CliRun r = CliRun.of(all.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Files.readAllBytes(before.resolve("attributions.npy")), Files.readAllBytes(out.resolve("attributions.npy")), name + " maps");
        assertArrayEquals(Images.read(before.resolve("grid.png")).data(), Images.read(out.resolve("grid.png")).data(), name + " grid");
        assertEquals(report(before), report(out), name + " explain.json");
    }

    private static JsonNode report(Path dir) throws IOException {
        ObjectNode j = (ObjectNode) new ObjectMapper().readTree(dir.resolve("explain.json").toFile());
        j.remove(List.of("seconds", "model", "data", "fovea_version", "java_version"));
        return j;
    }
}
