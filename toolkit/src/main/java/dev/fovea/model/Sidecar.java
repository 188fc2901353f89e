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
 * Mean and std default to 0 and 1 and the classes to {@code 0..K-1}, which the {@link ModelSetup} of the model
 * records as {@link ModelSetup.Source#DEFAULT}. A key outside that schema is refused, naming it. A sidecar holds at
 * most {@link Limits#MAX_TEXT_BYTES}.
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

    /**
     * What the sidecar and the options say about a TorchScript model, field by field (the options' {@code inputShape},
     * {@code mean}, {@code std} and {@code classNames} over the sidecar's), and where each field came from. Mean and
     * std nobody gives are 0 and 1, and class names nobody gives are numbered once the model's output is known
     * ({@link #info(int)}); both are {@link ModelSetup.Source#DEFAULT}, for the caller to say so.
     */
    public record Metadata(ObjectNode json, String where, ModelSetup.Source inputShapeFrom, ModelSetup.Source meanFrom,
                           ModelSetup.Source stdFrom, ModelSetup.Source classNamesFrom) {
        /** Whether the sidecar or the options name the classes. */
        public boolean named() {
            return classNamesFrom != ModelSetup.Source.DEFAULT;
        }

        /**
         * The model's metadata; where nothing names the classes, they are {@code 0..classes-1} ({@code classes} is
         * ignored otherwise).
         */
        public ModelInfo info(int classes) throws ModelFormatException {
            ObjectNode j = json.deepCopy();
            if (!named()) {
                var a = j.putArray("classes");
                ModelSetup.numbered(classes).forEach(a::add);
            }
            return ModelFile.parseInfo(j, where, List.of("features_layer"));
        }

        /** The setup of a model run with {@code info}, which {@link #info(int)} gave. */
        public ModelSetup setup(ModelInfo info) {
            return ModelSetup.of(info, inputShapeFrom, meanFrom, stdFrom, classNamesFrom);
        }
    }

    /**
     * The metadata of {@code model}: its sidecar's, overridden by the options' {@code inputShape}, {@code mean},
     * {@code std} and {@code classNames}. The input shape is required (the model cannot be run without it).
     */
    public static Metadata metadata(Path model, ModelLoader.Options o) throws IOException {
        JsonNode side = read(model);
        ObjectNode json = side != null && side.isObject() ? (ObjectNode) side.deepCopy() : JsonNodeFactory.instance.objectNode();
        ModelSetup.Source shapeFrom = from(o.inputShape() != null, json.has("input_shape"));
        ModelSetup.Source meanFrom = from(o.mean() != null, json.has("mean"));
        ModelSetup.Source stdFrom = from(o.std() != null, json.has("std"));
        ModelSetup.Source namesFrom = from(o.classNames() != null, json.has("classes"));
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
        return new Metadata(json, where + " metadata", shapeFrom, meanFrom, stdFrom, namesFrom);
    }

    /**
     * The model's metadata as {@link #metadata} gives it, for a model whose classes the sidecar or the options
     * name.
     *
     * @throws ModelFormatException nothing names the classes
     */
    public static ModelInfo info(Path model, ModelLoader.Options o) throws IOException {
        Metadata m = metadata(model, o);
        if (!m.named()) {
            throw new ModelFormatException(model + ": class names unknown: add \"classes\" to the sidecar or give --classes FILE (one name per line)");
        }
        return m.info(0);
    }

    private static ModelSetup.Source from(boolean option, boolean sidecar) {
        return option ? ModelSetup.Source.OPTIONS : sidecar ? ModelSetup.Source.SIDECAR : ModelSetup.Source.DEFAULT;
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
