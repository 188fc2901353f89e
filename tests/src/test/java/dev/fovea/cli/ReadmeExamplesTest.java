package dev.fovea.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's examples on image files, run as written: every {@code ./fovea predict} and every {@code ./fovea}
 * command with {@code --image} or naming {@code fixtures/images/} of a shell block (its paths taken from the
 * repository root, its {@code --out} in a temporary folder), with the output the README quotes; and the
 * {@code sha256sum} pipeline it gives for an image folder's {@code data_sha256}, run by bash on the bundled folder,
 * against the digest fovea records.
 */
class ReadmeExamplesTest {
    static final Path ROOT = FixturePaths.root();

    @TempDir
    Path dir;

    /** The lines of README.md's {@code sh} blocks, continuation lines joined. */
    static List<String> shellLines() throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        StringBuilder line = new StringBuilder();
        for (String l : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (l.strip().startsWith("```")) {
                in = !in && l.strip().equals("```sh");
                continue;
            }
            if (!in) {
                continue;
            }
            line.append(l.strip());
            if (l.endsWith("\\")) {
                line.setLength(line.length() - 1);
                continue;
            }
            out.add(line.toString().strip().replaceAll("\\s+", " "));
            line.setLength(0);
        }
        return out;
    }

    /** {@code line}'s words, as the shell splits them (single quotes only; the examples need no more). */
    static List<String> words(String line) {
        List<String> w = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            w.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return w;
    }

    @Test
    void theExamplesOnTheBundledShoeRunAsWritten() throws IOException {
        List<String> examples = shellLines().stream()
                .filter(l -> l.startsWith("./fovea predict ") || l.startsWith("./fovea ") && (l.contains(" --image ") || l.contains("fixtures/images/")))
                .toList();
        assertTrue(examples.size() >= 3, "README's examples on image files: " + examples);
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String example : examples) {
            List<String> args = new ArrayList<>();
            List<String> w = words(example);
            for (int i = 1; i < w.size(); i++) {
                String a = w.get(i);
                if (a.equals("--out")) {
                    args.add(a);
                    args.add(dir.resolve(w.get(++i)).toString());
                } else {
                    args.add(a.startsWith("fixtures/") ? ROOT.resolve(a).toString() : a);
                }
            }
            for (String a : args) {
                assertTrue(!a.startsWith(ROOT.toString()) || Files.exists(Path.of(a)), example + ": " + a + " is there");
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), example + "\n" + r);
            String out = r.out().replace(ROOT + "/", "");
            if (example.contains("--json -")) {
                JsonNode j = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(out);
                assertEquals("Sneaker", j.get("images").get(0).get("prediction_name").asText(), example);
            } else if (w.get(1).equals("predict")) {
                assertTrue(readme.contains("`" + out.strip() + "`"), example + ": README quotes its output, " + out.strip());
            } else if (w.contains("--out")) {
                assertTrue(Files.isDirectory(dir.resolve(w.get(w.indexOf("--out") + 1))), example + " writes its folder");
            }
        }
    }

    @Test
    void theSha256sumPipelineForAnImageFolderGivesTheDigestFoveaRecords() throws IOException, InterruptedException {
        List<String> lines = shellLines();
        String pipeline = lines.stream().filter(l -> l.startsWith("(cd DIR &&")).findFirst().orElseThrow();
        Path folder = FixturePaths.fixture("data", "fashion-folder-20");
        Process p = new ProcessBuilder("bash", "-c", pipeline.replace("DIR", "'" + folder + "'")).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), pipeline + "\n" + printed);
        Path out = dir.resolve("folder");
        CliRun r = CliRun.of("explain", "saliency", "-m", FixturePaths.fixture("models", "lenet5.fovea").toString(), "--data", folder.toString(),
                "--limit", "3", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        String recorded = new ObjectMapper().readTree(out.resolve("explain.json").toFile()).get("data_sha256").asText();
        assertEquals(recorded + "  -", printed.strip(), "README's pipeline on " + folder);
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("`" + recorded.substring(0, 8) + "...`"), "README quotes the digest");
    }
}
