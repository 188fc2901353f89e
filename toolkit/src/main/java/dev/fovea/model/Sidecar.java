package dev.fovea.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.io.Limits;
import dev.fovea.io.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The metadata of a model whose format holds none (TorchScript): a sidecar {@code MODEL.json} beside
 * {@code MODEL.pt}, in the schema of a {@code .fovea}'s {@code model.json} ({@code input_shape}, {@code mean},
 * {@code std}, {@code classes}, and optionally {@code features_layer}), overridden field by field by the options.
 * Mean and std default to 0 and 1. A key outside that schema is refused, naming it. A sidecar holds at most
 * {@link Limits#MAX_TEXT_BYTES}.
 */
public final class Sidecar {
    private Sidecar() {
    }

    /** The sidecar {@code MODEL.json} beside {@code MODEL.pt}, or null when there is none. */
    public static JsonNode read(Path model) throws IOException {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path side = model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
        if (!Files.isRegularFile(side)) {
            return null;
        }
        byte[] text = Limits.readText(side);
        if (text == null) {
            throw new ModelFormatException(side + ": sidecar of " + Limits.describeSize(side));
        }
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new ModelFormatException(side + ": not valid JSON");
        }
    }

    /** The sidecar's {@code features_layer}, else {@code features}. */
    public static String featuresLayer(Path model) throws IOException {
        JsonNode side = read(model);
        return side == null ? "features" : side.path("features_layer").asText("features");
    }

    /** The model's metadata: the sidecar's, overridden by the options' {@code inputShape}, {@code mean}, {@code std} and {@code classNames}. */
    public static ModelInfo info(Path model, ModelLoader.Options o) throws IOException {
        JsonNode side = read(model);
        ObjectNode json = side != null && side.isObject() ? (ObjectNode) side.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (o.inputShape() != null) {
            json.set("input_shape", array(o.inputShape().dims()));
        }
        if (o.mean() != null) {
            json.set("mean", array(o.mean()));
        }
        if (o.std() != null) {
            json.set("std", array(o.std()));
        }
        if (o.classNames() != null) {
            var a = json.putArray("classes");
            o.classNames().forEach(a::add);
        }
        String where = model.toString();
        if (!json.has("input_shape")) {
            throw new ModelFormatException(where + ": no metadata: put a sidecar " + model.getFileName().toString().replaceFirst("\\.[^.]+$", "")
                    + ".json beside it, or give --input-shape C,H,W --mean M --std S --classes FILE");
        }
        if (!json.has("classes")) {
            throw new ModelFormatException(where + ": class names unknown: add \"classes\" to the sidecar or give --classes FILE (one name per line)");
        }
        if (!json.has("mean")) {
            json.set("mean", array(new float[] {0f}));
        }
        if (!json.has("std")) {
            json.set("std", array(new float[] {1f}));
        }
        json.put("format_version", json.path("format_version").asInt(ModelInfo.FORMAT_VERSION));
        if (!json.has("architecture")) {
            json.set("architecture", JsonNodeFactory.instance.objectNode().put("name", "torchscript").set("layers", JsonNodeFactory.instance.arrayNode()));
        }
        return ModelFile.parseInfo(json, where + " metadata", List.of("features_layer"));
    }

    private static JsonNode array(int[] v) {
        var a = JsonNodeFactory.instance.arrayNode();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static JsonNode array(float[] v) {
        var a = JsonNodeFactory.instance.arrayNode();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }
}
