package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A model of the grid: its name in tables and charts (default: the file name without its extension), its path as
 * the spec writes it (relative to the spec's folder), the file it resolves to, its SHA-256, and how to run it: the
 * backend (default: the loader's choice) and, for TorchScript without a sidecar, input shape, normalisation and a
 * class-names file. The path as written and the SHA-256, not the resolved file, enter the cell ids, so the same spec
 * on the same models has the same ids on every machine.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelEntry(String name, String path, String file, String sha256, String backend, List<Integer> inputShape, List<Double> mean,
                         List<Double> std, String classes) {
    /** Opens the model; {@code batchSize} bounds the samples per forward pass. */
    public Classifier open(int batchSize) throws IOException {
        ModelLoader.Options o = ModelLoader.Options.defaults().withBatchSize(batchSize);
        if (backend != null) {
            o = o.withBackend(ModelLoader.backend(backend));
        }
        if (inputShape != null || mean != null || std != null || classes != null) {
            o = o.withMetadata(inputShape == null ? null : Shape.of(inputShape.stream().mapToInt(Integer::intValue).toArray()), floats(mean),
                    floats(std), classes == null ? null : ModelLoader.readClasses(Path.of(file).resolveSibling(classes)));
        }
        return ModelLoader.open(Path.of(file), o);
    }

    private static float[] floats(List<Double> v) {
        if (v == null) {
            return null;
        }
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i).floatValue();
        }
        return f;
    }

    /** What of the model enters a cell's id: the path as written, the content, and how it runs. */
    Object identity() {
        return new ModelEntry(null, path, null, sha256, backend, inputShape, mean, std, classes);
    }
}
