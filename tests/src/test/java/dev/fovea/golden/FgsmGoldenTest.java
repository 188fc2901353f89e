package dev.fovea.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackResult;
import dev.fovea.attacks.Attacks;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FGSM is exactly {@code clip(x + eps * sign(grad))}: fovea's FGSM on the bundled LeNet-5 against PyTorch's images
 * ({@code fixtures/make_attack_golden.py}), on both backends. Every pixel must match bit for bit, except pixels
 * whose gradient is within float noise of zero (the manifest's rule: {@code |g| <= near_zero * max|g|} of the
 * image, in PyTorch's float64 gradient), where float32 may pick the other sign; there are few of them, and the
 * mismatches may not outnumber them.
 */
class FgsmGoldenTest {
    private static final Path DIR = FixturePaths.fixture("golden", "fgsm-lenet5");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"engine", "libtorch"})
    void fgsmMatchesPyTorch(String backend) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        double eps = manifest.get("eps").asDouble();
        double nearZero = manifest.get("near_zero").asDouble();
        int nearZeroPixels = manifest.get("near_zero_pixels").asInt();
        Tensor x = Npy.read(DIR.resolve("x.npy")).toTensor();
        int[] y = Npy.readLabels(DIR.resolve("y.npy"));
        int[] cleanPred = Npy.readLabels(DIR.resolve("clean_pred.npy"));
        float[] gold = Npy.read(DIR.resolve("adv.npy")).toTensor().data();
        float[] g = Npy.read(DIR.resolve("grad.npy")).toTensor().data();
        ModelLoader.Options opts = ModelLoader.Options.defaults().withBatchSize(16)
                .withBackend(backend.equals("libtorch") ? ModelLoader.backend("libtorch") : null);
        try (Classifier c = ModelLoader.open(FixturePaths.fixture("models", "lenet5.fovea"), opts)) {
            Attack fgsm = Attacks.named("fgsm");
            Tensor before = x.copy();
            AttackResult r = fgsm.run(c, x, y, fgsm.defaults(eps));
            assertArrayEquals(before.data(), x.data(), "input untouched");
            assertArrayEquals(cleanPred, r.cleanPrediction(), "clean predictions as in PyTorch");
            int per = x.shape().sizeFrom(1);
            int mismatches = 0;
            int checked = 0;
            for (int i = 0; i < y.length; i++) {
                float peak = 0;
                for (int j = 0; j < per; j++) {
                    peak = Math.max(peak, Math.abs(g[i * per + j]));
                }
                for (int j = 0; j < per; j++) {
                    int at = i * per + j;
                    float got = r.adversarial().data()[at];
                    if (cleanPred[i] != y[i]) {
                        assertEquals(x.data()[at], got, 0f, "misclassified image " + i + " is left alone");
                        continue;
                    }
                    checked++;
                    if (got != gold[at]) {
                        mismatches++;
                        assertTrue(Math.abs(g[at]) <= nearZero * peak, backend + ": image " + i + " pixel " + j + ": got " + got + ", PyTorch "
                                + gold[at] + ", gradient " + g[at] + " is not near zero (max " + peak + ")");
                    }
                }
            }
            assertTrue(checked > 0);
            assertTrue(mismatches <= nearZeroPixels, backend + ": " + mismatches + " mismatches, at most " + nearZeroPixels + " near-zero pixels");
            System.out.printf("fgsm golden (%s): %d of %d pixels differ (%d near zero)%n", backend, mismatches, checked, nearZeroPixels);
        }
    }
}
