package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea eval} on colour image folders as users have them: the CIFAR-10 test set as JPEG files in class
 * folders ({@code ../shared/data/cifar10-test-jpg}) and the ResNet-20 converted from PyTorch, RGB kept as RGB, the
 * folders matched to the model's class names by name; the accuracy is PyTorch's ({@code jpeg_predictions.npy}).
 */
class ColourFolderEvalTest {
    static final String MODEL = FixturePaths.fixture("models", "cifar10-resnet20.fovea").toString();
    static final String TS = FixturePaths.fixture("models", "cifar10-resnet20.pt").toString();
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    @TempDir
    Path dir;

    /** PyTorch's correct predictions among the first {@code n} files of class {@code k} (files of a class sorted by name). */
    private static int pytorchCorrect(int k, int n) throws IOException {
        long[] pred = Npy.read(FixturePaths.fixture("golden", "resnet20", "jpeg_predictions.npy")).longs();
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += pred[k * 1000 + i] == k ? 1 : 0;
        }
        return c;
    }

    @Test
    void theWholeTestSetGivesPyTorchsAccuracy() throws IOException {
        Path data = FixturePaths.shared("data", "cifar10-test-jpg");
        Path json = dir.resolve("eval.json");
        CliRun r = CliRun.of("eval", "--model", MODEL, "--data", data.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        int correct = 0;
        for (int k = 0; k < CLASSES.size(); k++) {
            correct += pytorchCorrect(k, 1000);
        }
        assertTrue(r.out().contains(String.format(Locale.ROOT, "accuracy %.2f%% (%d of 10000)", correct / 100.0, correct)), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(CLASSES, new ObjectMapper().convertValue(j.get("classes"), List.class));
        assertEquals((double) pytorchCorrect(3, 1000) / 1000, j.get("per_class").get("cat").asDouble(), 1e-12);
    }

    /**
     * A subset of the classes under other spellings ({@code Airplane}, {@code auto_mobile}, {@code CAT}): sorted,
     * the folders would read as classes 0, 1, 2, 3, 4; by name they are airplane, cat, automobile, ship, truck.
     */
    @Test
    void foldersNamedOtherwiseAndASubsetOfTheClassesOnBothBackends() throws IOException {
        Path data = FixturePaths.shared("data", "cifar10-test-jpg");
        String[][] folders = {{"Airplane", "airplane"}, {"CAT", "cat"}, {"auto_mobile", "automobile"}, {"ship", "ship"}, {"Truck", "truck"}};
        int correct = 0;
        for (String[] f : folders) {
            Path to = Files.createDirectories(dir.resolve("cifar").resolve(f[0]));
            try (Stream<Path> s = Files.list(data.resolve(f[1]))) {
                for (Path jpg : s.sorted().limit(20).toList()) {
                    Files.copy(jpg, to.resolve(jpg.getFileName()));
                }
            }
            correct += pytorchCorrect(CLASSES.indexOf(f[1]), 20);
        }
        String want = String.format(Locale.ROOT, "accuracy %.2f%% (%d of 100)", (double) correct, correct);
        for (String[] backend : new String[][] {{MODEL, "engine"}, {MODEL, "libtorch"}, {TS, "libtorch"}}) {
            CliRun r = CliRun.of("eval", "--model", backend[0], "--backend", backend[1], "--data", dir.resolve("cifar").toString());
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains(want), backend[0] + " on " + backend[1] + ": " + r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("bird\\s+-\\s+0")), "a class without images: " + r.out());
        }
    }

    @Test
    void aFolderThatNamesNoClassIsAnErrorNamingItAndTheClasses() throws IOException {
        Path data = FixturePaths.shared("data", "cifar10-test-jpg");
        for (String name : List.of("cat", "zebra")) {
            Path to = Files.createDirectories(dir.resolve(name));
            Files.copy(data.resolve("cat").resolve("0000.jpg"), to.resolve("0000.jpg"));
        }
        CliRun r = CliRun.of("eval", "--model", MODEL, "--data", dir.toString());
        assertEquals(3, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
        assertTrue(r.err().contains("class folder 'zebra' matches none of the model's 10 classes (" + String.join(", ", CLASSES) + ")"), r.err());
    }
}
