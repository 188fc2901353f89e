package dev.fovea.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.image.Images;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ResNet-20 trained elsewhere ({@code fixtures/convert_resnet20.py}) on the CIFAR-10 test set as JPEG files
 * ({@code ../shared/data/cifar10-test-jpg}, taken class by class in the model's order, files sorted by name):
 * Java's ImageIO decodes every file to the bytes Pillow (libjpeg-turbo) gave the script; the {@code .fovea} on the
 * own engine and on libtorch and the TorchScript on libtorch give PyTorch's logits and predictions on the fixed
 * 500-image slice (the first 50 files of each class); and the {@code .fovea} on the own engine and the TorchScript
 * agree for a fixed seed on FGSM, PGD, APGD-CE, AutoAttack and Square at 2/255 and 8/255 and on DeepFool and
 * Carlini-Wagner at L2 0.25 and 0.5.
 */
class Resnet20JpegTest {
    static final Path GOLDEN = FixturePaths.fixture("golden", "resnet20");
    static final int PER_CLASS = 50;
    static JsonNode manifest;
    static List<String> classes;
    static List<List<Path>> files;

    @BeforeAll
    static void listFiles() throws IOException {
        manifest = new ObjectMapper().readTree(GOLDEN.resolve("manifest.json").toFile());
        Path jpegs = FixturePaths.shared("data", "cifar10-test-jpg");
        try (Classifier c = open("fovea-engine")) {
            classes = c.classNames();
        }
        files = new ArrayList<>();
        for (String name : classes) {
            try (Stream<Path> s = Files.list(jpegs.resolve(name))) {
                files.add(s.filter(p -> p.getFileName().toString().endsWith(".jpg"))
                        .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList());
            }
        }
    }

    static Classifier open(String how) throws IOException {
        ModelLoader.Options opts = ModelLoader.Options.defaults().withBatchSize(100)
                .withBackend(how.equals("fovea-libtorch") ? ModelLoader.backend("libtorch") : null);
        return ModelLoader.open(FixturePaths.fixture("models", how.equals("torchscript") ? "cifar10-resnet20.pt" : "cifar10-resnet20.fovea"), opts);
    }

    /** The first {@code perClass} files of each class as pixels {@code [N,3,32,32]}, with their labels. */
    static Tensor slice(int perClass, int[] labels) throws IOException {
        float[] data = new float[classes.size() * perClass * 3 * 32 * 32];
        int at = 0;
        for (int k = 0; k < classes.size(); k++) {
            for (int i = 0; i < perClass; i++) {
                float[] px = Images.read(files.get(k).get(i), 3, 32, 32).data();
                System.arraycopy(px, 0, data, at * px.length, px.length);
                labels[at++] = k;
            }
        }
        return new Tensor(Shape.of(at, 3, 32, 32), data);
    }

    @Test
    void imageIoDecodesEveryFileToPillowsBytes() throws IOException {
        long[] want = Npy.read(GOLDEN.resolve("jpeg_crc32.npy")).longs();
        List<String> differ = new ArrayList<>();
        int n = 0;
        CRC32 crc = new CRC32();
        byte[] bytes = new byte[3 * 32 * 32];
        for (List<Path> cls : files) {
            for (Path f : cls) {
                float[] px = Images.read(f, 3, 32, 32).data();
                for (int i = 0; i < px.length; i++) {
                    bytes[i] = (byte) Math.round(px[i] * 255f);
                }
                crc.reset();
                crc.update(bytes);
                if (crc.getValue() != want[n]) {
                    differ.add(f.getParent().getFileName() + "/" + f.getFileName());
                }
                n++;
            }
        }
        assertEquals(want.length, n, "files");
        assertEquals(List.of(), differ, differ.size() + " of " + n + " files decode to other bytes than Pillow's ("
                + manifest.path("jpeg").path("decoder").path("library").asText() + ")");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fovea-engine", "fovea-libtorch", "torchscript"})
    void predictionsOnTheSliceArePyTorchs(String how) throws IOException {
        int[] labels = new int[classes.size() * PER_CLASS];
        Tensor x = slice(PER_CLASS, labels);
        assertArrayEquals(Npy.readLabels(GOLDEN.resolve("slice_labels.npy")), labels, "labels of the slice");
        Tensor want = Npy.read(GOLDEN.resolve("slice_logits.npy")).toTensor();
        int[] wantPred = Npy.readLabels(GOLDEN.resolve("slice_predictions.npy"));
        try (Classifier c = open(how)) {
            Tensor z = c.logits(x);
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < z.size(); i++) {
                scale = Math.max(scale, Math.abs(want.data()[i]));
                diff = Math.max(diff, Math.abs(want.data()[i] - z.data()[i]));
            }
            assertTrue(diff <= 1e-5 * scale, how + ": logits of the slice differ from PyTorch's by " + diff / scale + " of their scale");
            int[] pred = z.argmaxRows();
            List<Integer> differ = new ArrayList<>();
            int correct = 0;
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] != wantPred[i]) {
                    differ.add(i);
                }
                correct += pred[i] == labels[i] ? 1 : 0;
            }
            assertEquals(List.of(), differ, how + ": predictions that differ from PyTorch's");
            double acc = (double) correct / labels.length;
            assertEquals(manifest.path("jpeg").path("slice").path("accuracy").asDouble(), acc, 1e-12, how + " accuracy on the slice");
        }
    }

    /**
     * FGSM and PGD (random start from the run's seed) on the first 10 files of each class: the own engine and
     * libtorch take gradients in different summation orders, and the attacks step along their signs, so the
     * adversarial images may differ where a gradient is within float noise of zero; the predictions on them must not.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fgsm", "pgd"})
    void ownEngineAndTorchScriptAgreeOnAttacks(String method) throws IOException {
        int[] labels = new int[classes.size() * 10];
        Tensor x = slice(10, labels);
        AttackRun run = AttackRun.of(method, 2 / 255.0, 8 / 255.0).withSeed(20240611);
        try (Classifier own = open("fovea-engine"); Classifier ts = open("torchscript")) {
            AttackRun.Result a = run.run(own, x, labels, dev.fovea.audit.ProgressListener.NONE);
            AttackRun.Result b = run.run(ts, x, labels, dev.fovea.audit.ProgressListener.NONE);
            assertArrayEquals(a.cleanPrediction(), b.cleanPrediction(), method + " clean predictions");
            for (double eps : run.budgets()) {
                int[] pa = a.at(eps).result().adversarialPrediction();
                int[] pb = b.at(eps).result().adversarialPrediction();
                assertEquals(Arrays.toString(pb), Arrays.toString(pa), method + " at eps " + eps + ": adversarial predictions, engine vs TorchScript");
                assertEquals(b.at(eps).robustAccuracy(), a.at(eps).robustAccuracy(), method + " at eps " + eps + ": robust accuracy");
            }
        }
    }

    static Stream<Arguments> moreAttacks() {
        return Stream.of(
                Arguments.of("apgd-ce", "linf", 5, 20, Map.of()),
                Arguments.of("autoattack", "linf", 3, 10, Map.of()),
                Arguments.of("square", "linf", 5, 300, Map.of()),
                Arguments.of("deepfool", "l2", 5, 50, Map.of()),
                Arguments.of("cw", "l2", 3, 50, Map.of("searchSteps", "5")));
    }

    /**
     * The other attacks the CIFAR-10 budgets are reported for, on the first files of each class at fewer steps:
     * the own engine and the TorchScript agree on which samples each budget fools, and minimum-norm attacks on which
     * samples they find a perturbation for and on its norm to 1% (median relative difference); a sample whose two
     * minimal norms lie on either side of a budget may be fooled there on one backend only. Carlini-Wagner's Adam
     * steps normalise each gradient coordinate, so float noise where a coordinate is near zero becomes a full step
     * and the two searches drift apart on some samples.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("moreAttacks")
    void ownEngineAndTorchScriptAgreeOnTheOtherAttacks(String method, String norm, int perClass, int steps, Map<String, String> options)
            throws IOException {
        int[] labels = new int[classes.size() * perClass];
        Tensor x = slice(perClass, labels);
        boolean l2 = norm.equals("l2");
        AttackRun run = AttackRun.of(method, l2 ? new double[] {0.25, 0.5} : new double[] {2 / 255.0, 8 / 255.0})
                .withNorm(l2 ? dev.fovea.attacks.Norm.L2 : dev.fovea.attacks.Norm.LINF).withSteps(steps).withOptions(options).withSeed(20240611);
        try (Classifier own = open("fovea-engine"); Classifier ts = open("torchscript")) {
            AttackRun.Result a = run.run(own, x, labels, dev.fovea.audit.ProgressListener.NONE);
            AttackRun.Result b = run.run(ts, x, labels, dev.fovea.audit.ProgressListener.NONE);
            double[] ma = a.budgets().get(0).result().minimalNorm();
            double[] mb = b.budgets().get(0).result().minimalNorm();
            for (double eps : run.budgets()) {
                boolean[] fa = a.at(eps).result().success();
                boolean[] fb = b.at(eps).result().success();
                for (int i = 0; i < fa.length; i++) {
                    // a minimum-norm attack's two searches may end on either side of the budget
                    boolean straddles = a.hasMinimalNorm() && (ma[i] <= eps) != (mb[i] <= eps);
                    assertTrue(fa[i] == fb[i] || straddles, method + " at eps " + eps + ", sample " + i + ": fooled on one backend only"
                            + (a.hasMinimalNorm() ? " (minimal norms " + ma[i] + " and " + mb[i] + ")" : ""));
                }
            }
            if (a.hasMinimalNorm()) {
                List<Double> rel = new ArrayList<>();
                for (int i = 0; i < ma.length; i++) {
                    assertEquals(Double.isFinite(mb[i]), Double.isFinite(ma[i]), method + " sample " + i + ": found on one backend only");
                    if (Double.isFinite(ma[i]) && ma[i] > 0) {
                        rel.add(Math.abs(ma[i] - mb[i]) / ma[i]);
                    }
                }
                double median = dev.fovea.audit.Stats.median(rel.stream().mapToDouble(Double::doubleValue).toArray());
                System.out.printf(java.util.Locale.ROOT, "%s: minimal perturbations differ by median %.2e relative, max %.2e%n", method, median,
                        rel.stream().mapToDouble(Double::doubleValue).max().orElse(0));
                assertTrue(median <= 0.01, method + ": minimal perturbations differ by median " + median + " relative");
            }
        }
    }
}
