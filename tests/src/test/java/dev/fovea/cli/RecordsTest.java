package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the commands record besides their numbers, read back as a user would: {@code predict --json} with the
 * classes by name, the class names beside the indices in {@code samples.csv} and {@code explain.json},
 * {@code maps_shape} as an array, the step size, selection, command line and Java version in {@code attack.json},
 * and the digests: {@code data_sha256} and {@code labels_sha256} against SHA-256 computed here over the files'
 * bytes, {@code subset_sha256} against the selected samples' bytes decoded here from the IDX files, and both against
 * {@code fixtures/golden/digests.json} ({@code fixtures/make_digest_golden.py}: hashlib, NumPy and, for the image
 * folder, the {@code sha256sum} pipeline README.md gives).
 */
class RecordsTest {
    static final Path SLICE = FixturePaths.fixture("data", "fashion-mnist-1k");
    static final Path IMAGES = SLICE.resolve("t10k-images-idx3-ubyte.gz");
    static final Path LABELS = SLICE.resolve("t10k-labels-idx1-ubyte.gz");
    static final Path FOLDER = FixturePaths.fixture("data", "fashion-folder-20");
    static final Path SHOE = FixturePaths.fixture("images", "shoe.png");
    static final String LENET = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String CONVNET = FixturePaths.fixture("models", "convnet.fovea").toString();
    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> classes;
    static JsonNode golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        try (Classifier m = ModelLoader.open(Path.of(LENET))) {
            classes = m.classNames();
        }
        golden = JSON.readTree(FixturePaths.fixture("golden", "digests.json").toFile());
    }

    static String sha(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    @Test
    void predictJsonGivesEachImagesClassesByName() throws Exception {
        Path bag = FOLDER.resolve("Bag").resolve("0018.png");
        CliRun r = CliRun.of("predict", "--model", CONVNET, "--top", "3", "--json", "-", SHOE.toString(), bag.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("{"), "standard output holds the JSON alone: " + r.out());
        JsonNode j = JSON.copy().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(r.out());
        assertEquals(classes, names(j.get("class_names")));
        assertEquals("[1,28,28]", j.get("input_shape").toString());
        assertEquals(sha(Files.readAllBytes(Path.of(CONVNET))), j.get("model_sha256").asText());
        assertEquals(2, j.get("images").size());
        for (JsonNode img : j.get("images")) {
            Path file = Path.of(img.get("file").asText());
            assertEquals(sha(Files.readAllBytes(file)), img.get("sha256").asText(), file + " as sha256sum prints it");
            int p = img.get("prediction").asInt();
            assertEquals(classes.get(p), img.get("prediction_name").asText());
            JsonNode probs = img.get("probabilities");
            assertEquals(classes.size(), probs.size());
            double sum = 0;
            int argmax = 0;
            for (int k = 0; k < probs.size(); k++) {
                sum += probs.get(k).asDouble();
                argmax = probs.get(k).asDouble() > probs.get(argmax).asDouble() ? k : argmax;
            }
            assertEquals(1, sum, 1e-5);
            assertEquals(argmax, p);
            assertEquals(probs.get(p).floatValue(), img.get("confidence").floatValue());
            JsonNode top = img.get("top");
            assertEquals(3, top.size());
            assertEquals(p, top.get(0).get("index").asInt());
            for (int t = 0; t < top.size(); t++) {
                int k = top.get(t).get("index").asInt();
                assertEquals(classes.get(k), top.get(t).get("name").asText());
                assertEquals(probs.get(k).floatValue(), top.get(t).get("probability").floatValue());
                assertTrue(t == 0 || top.get(t).get("probability").asDouble() <= top.get(t - 1).get("probability").asDouble(), "top in order");
            }
        }
        assertEquals("Sneaker", j.get("images").get(0).get("prediction_name").asText(), "the README's shoe is a shoe to the convnet");
        assertEquals("Bag", j.get("images").get(1).get("prediction_name").asText());
        assertTrue(j.get("command_line").asText().startsWith("fovea predict --model "), j.get("command_line").asText());

        Path file = dir.resolve("predict.json");
        CliRun f = CliRun.of("predict", "--model", CONVNET, "--json", file.toString(), SHOE.toString());
        assertEquals(0, f.code(), f.toString());
        assertTrue(f.out().startsWith(SHOE + ":  Sneaker "), "with a file, the lines are printed too: " + f.out());
        assertEquals(j.get("images").get(0).get("probabilities"), JSON.readTree(file.toFile()).get("images").get(0).get("probabilities"));
    }

    @Test
    void samplesCsvNamesTheClassesBesideTheirIndices() throws Exception {
        Path out = dir.resolve("fgsm");
        CliRun r = CliRun.of("attack", "-m", LENET, "--data", SLICE.toString(), "--limit", "6", "--method", "fgsm", "--eps", "0,0.1",
                "--targeted", "random", "--seed", "4", "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("samples.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("label_name", "clean_pred_name", "adv_pred_name", "target_name"), header.subList(header.size() - 4, header.size()));
        assertEquals(1 + 2 * 6, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            assertEquals(header.size(), c.length, line);
            for (String k : List.of("label", "clean_pred", "adv_pred", "target")) {
                assertEquals(classes.get(Integer.parseInt(c[header.indexOf(k)])), c[header.indexOf(k + "_name")], k + " in " + line);
            }
        }
    }

    @Test
    void explainJsonNamesLabelsAndPredictionsAndGivesTheMapsShapeAsAnArray() throws Exception {
        Path out = dir.resolve("saliency");
        CliRun r = CliRun.of("explain", "saliency", "-m", LENET, "--data", SLICE.toString(), "--limit", "4", "--target", "Ankle boot",
                "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = JSON.readTree(out.resolve("explain.json").toFile());
        byte[] labels = gunzip(LABELS);
        for (JsonNode s : j.get("samples")) {
            int i = s.get("index").asInt();
            assertEquals(labels[8 + i] & 0xff, s.get("label").asInt());
            assertEquals(classes.get(s.get("label").asInt()), s.get("label_name").asText());
            assertEquals(classes.get(s.get("prediction").asInt()), s.get("prediction_name").asText());
            assertEquals("Ankle boot", s.get("target_name").asText());
        }
        assertTrue(j.get("maps_shape").isArray(), j.get("maps_shape").toString());
        List<Integer> shape = new ArrayList<>();
        j.get("maps_shape").forEach(v -> shape.add(v.asInt()));
        assertArrayEquals(shape.stream().mapToInt(Integer::intValue).toArray(), Npy.read(out.resolve("attributions.npy")).shape());
        assertTrue(j.get("command_line").asText().endsWith("--target 'Ankle boot' --out " + out + " -q"),
                "an argument with a space is quoted for the shell: " + j.get("command_line").asText());
    }

    @Test
    void attackJsonRecordsStepSizeSelectionCommandLineJavaAndTheDigests() throws Exception {
        Path out = dir.resolve("pgd");
        String[] args = {"attack", "-m", LENET, "--data", SLICE.toString(), "--per-class", "2", "--limit", "5", "--method", "pgd", "--steps", "10",
                "--eps", "0,0.05,0.1", "--seed", "1", "--out", out.toString(), "-q"};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.toString());
        JsonNode j = JSON.readTree(out.resolve("attack.json").toFile());
        // PGD's default step is 2.5 eps / 20 (its description), whatever --steps
        assertEquals(2.5 * 0.1 / 20, j.get("step_size").asDouble(), 1e-12, "PGD's default step at the largest budget");
        assertFalse(j.get("results").get(0).has("step_size"), "no step at budget 0");
        assertEquals(2.5 * 0.05 / 20, j.get("results").get(1).get("step_size").asDouble(), 1e-12);
        assertEquals(2.5 * 0.1 / 20, j.get("results").get(2).get("step_size").asDouble(), 1e-12);
        assertEquals(5, j.get("limit").asInt());
        assertEquals(2, j.get("per_class").asInt());
        assertEquals(5, j.get("n").asInt());
        assertEquals("fovea " + String.join(" ", args), j.get("command_line").asText());
        assertEquals(System.getProperty("java.version"), j.get("java_version").asText());

        assertEquals(sha(Files.readAllBytes(IMAGES)), j.get("data_sha256").asText(), "sha256sum of the images file");
        assertEquals(sha(Files.readAllBytes(LABELS)), j.get("labels_sha256").asText(), "sha256sum of the labels file");
        assertEquals(golden.get("idx").get("data_sha256").asText(), j.get("data_sha256").asText());
        assertEquals(golden.get("idx").get("labels_sha256").asText(), j.get("labels_sha256").asText());
        // the selection decoded here: the first two of each class, then the first five of those
        byte[] px = gunzip(IMAGES);
        byte[] y = gunzip(LABELS);
        List<Integer> chosen = new ArrayList<>();
        int[] seen = new int[10];
        for (int i = 0; i < y.length - 8 && chosen.size() < 5; i++) {
            if (seen[y[8 + i]]++ < 2) {
                chosen.add(i);
            }
        }
        ByteBuffer b = ByteBuffer.allocate(chosen.size() * (784 * 4 + 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : chosen) {
            for (int p = 0; p < 784; p++) {
                b.putFloat((px[16 + i * 784 + p] & 0xff) / 255f);
            }
        }
        chosen.forEach(i -> b.putInt(y[8 + i]));
        assertEquals(sha(b.array()), j.get("subset_sha256").asText());
        assertEquals(golden.get("idx").get("subsets").get("per_class_2_limit_5").asText(), j.get("subset_sha256").asText());
        assertEquals(j.get("subset_sha256"), j.get("provenance").get("subset_sha256"));

        CliRun given = CliRun.of("attack", "-m", LENET, "--data", SLICE.toString(), "--limit", "3", "--method", "pgd", "--steps", "5",
                "--step-size", "0.02", "--eps", "0.05,0.1", "--out", dir.resolve("given").toString(), "-q");
        assertEquals(0, given.code(), given.toString());
        JsonNode g = JSON.readTree(dir.resolve("given").resolve("attack.json").toFile());
        for (JsonNode budget : g.get("results")) {
            assertEquals(0.02, budget.get("step_size").asDouble(), "a step size given is taken at every budget");
        }
        assertTrue(g.get("per_class").isNull(), "no --per-class");
        assertEquals(golden.get("idx").get("data_sha256").asText(), g.get("data_sha256").asText(), "the same files, whatever the selection");
    }

    @Test
    void anImageFolderIsDigestedOverItsSha256sumListing() throws Exception {
        Path out = dir.resolve("folder");
        CliRun r = CliRun.of("explain", "saliency", "-m", LENET, "--data", FOLDER.toString(), "--out", out.toString(), "-q");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = JSON.readTree(out.resolve("explain.json").toFile());
        List<String> files;
        try (Stream<Path> s = Files.walk(FOLDER)) {
            files = s.filter(Files::isRegularFile).map(p -> FOLDER.relativize(p).toString().replace('\\', '/'))
                    .sorted((a, c) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), c.getBytes(StandardCharsets.UTF_8))).toList();
        }
        StringBuilder listing = new StringBuilder();
        for (String f : files) {
            listing.append(sha(Files.readAllBytes(FOLDER.resolve(f)))).append("  ").append(f).append('\n');
        }
        assertEquals(golden.get("folder").get("listing").asText(), listing.toString());
        assertEquals(sha(listing.toString().getBytes(StandardCharsets.UTF_8)), j.get("data_sha256").asText());
        assertEquals(golden.get("folder").get("data_sha256").asText(), j.get("data_sha256").asText(), "README's sha256sum pipeline");
        assertTrue(j.get("labels_sha256").isNull(), "a folder's labels are its sub-folders");
        assertEquals(golden.get("folder").get("subset_sha256").asText(), j.get("subset_sha256").asText());
        assertEquals("T-shirt/top", j.get("samples").get(8).get("label_name").asText(), "folder T-shirt_top is the class T-shirt/top");
    }

    @Test
    void evalJsonRecordsTheSameDigests() throws Exception {
        CliRun r = CliRun.of("eval", "-m", LENET, "--data", SLICE.toString(), "--limit", "12", "--json", "-");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(sha(Files.readAllBytes(IMAGES)), j.get("data_sha256").asText());
        assertEquals(sha(Files.readAllBytes(LABELS)), j.get("labels_sha256").asText());
        assertEquals(golden.get("idx").get("subsets").get("limit_12").asText(), j.get("subset_sha256").asText());
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
