package dev.fovea.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden values from PyTorch ({@code fixtures/make_golden.py}, float64 reference): three small trained CNNs (plain,
 * batch norm, residual) give PyTorch's logits, input gradients for every objective, activations and layer
 * gradients, on every way fovea runs them: the {@code .fovea} file on the own engine and on libtorch, and the
 * TorchScript file on libtorch. Tolerances come from the generator's manifest. So does the ResNet-20 trained
 * elsewhere ({@code fixtures/convert_resnet20.py}: its model files in {@code fixtures/models}, named by the
 * manifest's {@code fovea_file} and {@code torchscript_file}, the TorchScript sidecar naming the features layer
 * {@code torchscript_features_layer}), at 1e-5 of the logits and 1e-4 of the gradients.
 */
class PyTorchGoldenTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String model : List.of("lenet5", "smallbn", "smallres", "resnet20")) {
            out.add(Arguments.of(model, "fovea-engine"));
            out.add(Arguments.of(model, "fovea-libtorch"));
            out.add(Arguments.of(model, "torchscript"));
        }
        return out.stream();
    }

    private static Path dir(String model) {
        return FixturePaths.fixture("golden", model);
    }

    private static Tensor npy(String model, String file) throws IOException {
        return Npy.read(dir(model).resolve(file)).toTensor();
    }

    private static double[] values(String model, String objective) throws IOException {
        var a = Npy.read(dir(model).resolve("values_" + objective + ".npy"));
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.floats()[i];
        }
        return d;
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("cases")
    void matchesPyTorch(String model, String how) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(dir(model).resolve("manifest.json").toFile());
        double logitsTol = manifest.path("tolerances").path("logits_rel").asDouble();
        double gradTol = manifest.path("tolerances").path("grad_rel").asDouble();
        double floor = manifest.path("tolerances").path("abs_floor").asDouble();
        assertTrue(logitsTol > 0 && gradTol > 0, "manifest tolerances");
        boolean torchscript = how.equals("torchscript");
        String features = manifest.path(torchscript && manifest.has("torchscript_features_layer") ? "torchscript_features_layer"
                : "features_layer").asText();
        Tensor x = npy(model, "x.npy");
        int[] y = Npy.readLabels(dir(model).resolve("y.npy"));
        ModelLoader.Options opts = ModelLoader.Options.defaults().withBatchSize(3)
                .withBackend(how.equals("fovea-libtorch") ? ModelLoader.backend("libtorch") : null);
        String key = torchscript ? "torchscript_file" : "fovea_file";
        Path file = dir(model).resolve(manifest.has(key) ? manifest.path(key).asText() : model + (torchscript ? ".pt" : ".fovea")).normalize();
        try (Classifier c = ModelLoader.open(file, opts)) {
            Tensor logits = npy(model, "logits.npy");
            check(logits, c.logits(x), logitsTol, floor, model + " " + how + " logits");
            Map<String, Objective> objectives = Map.of("cross_entropy", Objective.crossEntropy(y), "logit", Objective.logit(y),
                    "margin", Objective.margin(y), "dlr", Objective.dlr(y), "channel", Objective.channelMean(features, 1));
            for (var e : objectives.entrySet()) {
                Classifier.Gradient g = c.gradient(x, e.getValue());
                check(npy(model, "grad_" + e.getKey() + ".npy"), g.gradient(), gradTol, floor, model + " " + how + " grad " + e.getKey());
                double[] want = values(model, e.getKey());
                for (int i = 0; i < want.length; i++) {
                    // An objective of the logits (margin, DLR: differences of logits) is as accurate as the logits.
                    double scale = Math.max(1, Math.abs(want[i]));
                    if (!e.getKey().equals("channel")) {
                        scale = Math.max(scale, maxAbs(logits, i));
                    }
                    assertEquals(want[i], g.values()[i], logitsTol * scale + floor, model + " " + how + " value " + e.getKey() + " " + i);
                }
            }
            check(npy(model, "act_F.npy"), c.activations(x, features), logitsTol, floor, model + " " + how + " activations " + features);
            Classifier.LayerGradient lg = c.layerGradient(x, features, Objective.logit(y));
            check(npy(model, "layergrad_F.npy"), lg.gradient(), gradTol, floor, model + " " + how + " layer gradient " + features);
            if (!torchscript) {
                Tensor first = npy(model, "act_first.npy");
                int n = first.dim(0);
                check(first, c.activations(x.slice(0, n), "0"), logitsTol, floor, model + " " + how + " activations 0");
            }
        }
    }

    /** The largest |entry| of row {@code i} of {@code [N,K]}. */
    private static double maxAbs(Tensor t, int i) {
        int k = t.dim(1);
        double m = 0;
        for (int j = 0; j < k; j++) {
            m = Math.max(m, Math.abs(t.data()[i * k + j]));
        }
        return m;
    }

    /** {@code max|a - e| <= tol * max|e| + floor}. */
    private static void check(Tensor expected, Tensor actual, double tol, double floor, String what) {
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        double scale = 0;
        double diff = 0;
        int at = -1;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.data()[i]));
            double d = Math.abs(expected.data()[i] - actual.data()[i]);
            if (d > diff) {
                diff = d;
                at = i;
            }
        }
        assertTrue(diff <= tol * scale + floor, what + ": largest difference " + diff + " at " + at + " (scale " + scale + ", relative "
                + diff / scale + ", allowed " + tol + ")");
    }
}
