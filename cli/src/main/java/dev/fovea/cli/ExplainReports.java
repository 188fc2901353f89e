package dev.fovea.cli;

import dev.fovea.audit.report.Pictures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.data.Dataset;
import dev.fovea.image.Images;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** What the visualisation and trust-check commands share: the JSON summary's provenance, and writing it. */
final class ExplainReports {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplainReports() {
    }

    /**
     * A summary object with the command, seed, versions and the SHA-256 of model and data (either may be null): of
     * the data's files and of its samples, as {@link dev.fovea.audit.report.Provenance} records them.
     */
    static ObjectNode summary(String command, long seed, Path modelFile, Classifier model, Dataset data) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command);
        root.put("seed", seed);
        if (modelFile != null) {
            root.put("model", modelFile.toString());
            root.put("model_sha256", Digests.sha256(modelFile));
        }
        if (model != null) {
            root.put("backend", model.backend());
        }
        if (data != null) {
            root.put("data", data.source());
            root.put("data_sha256", data.files() == null ? null : Digests.sha256(data.files()));
            root.put("labels_sha256", data.files() == null ? null : Digests.labelsSha256(data.files()));
            root.put("subset_sha256", Digests.subsetSha256(data));
            root.put("n", data.size());
            if (data.fitting() != null) {
                root.set("data_fitting", dev.fovea.audit.report.Json.MAPPER.valueToTree(data.fitting()));
            }
        }
        root.put("fovea_version", Version.VERSION);
        root.put("java_version", System.getProperty("java.version"));
        return root;
    }

    static void write(Path file, ObjectNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Sample {@code i} of a batch as {@code [C,H,W]}. */
    static Tensor sample(Tensor batch, int i) {
        int per = batch.shape().sizeFrom(1);
        return new Tensor(batch.shape().tail(), Arrays.copyOfRange(batch.data(), i * per, (i + 1) * per));
    }

    /** {@code chw} stretched to [0,1] ({@link Pictures#stretched}). */
    static Tensor stretched(Tensor chw) {
        return Pictures.stretched(chw);
    }

    /** Rows of at most {@code per} items. */
    static <T> java.util.List<java.util.List<T>> rows(java.util.List<T> items, int per) {
        java.util.List<java.util.List<T>> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i += per) {
            out.add(items.subList(i, Math.min(items.size(), i + per)));
        }
        return out;
    }

    /** Tiles with captions ({@link Pictures#tiles}). */
    static void tiles(Path file, java.util.List<Tensor> items, java.util.List<String> captions, int perRow, int scale, String title)
            throws IOException {
        Pictures.tiles(file, items, captions, perRow, scale, title);
    }
}
