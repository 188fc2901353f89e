package dev.fovea.model.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.io.ModelFormatException;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.ModelInfo;
import dev.fovea.model.Network;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens any model fovea reads as a {@link Classifier}: a {@code .fovea} file on the own engine or on libtorch, or
 * a TorchScript file ({@code .pt}, {@code .ts}, or a {@code .zip} from {@code torch.jit.save}) on libtorch.
 *
 * <p>A TorchScript model's metadata comes from a sidecar {@code MODEL.json} beside it (the schema of a
 * {@code .fovea}'s {@code model.json}: {@code input_shape}, {@code mean}, {@code std}, {@code classes}, and
 * optionally {@code features_layer}), overridden field by field by the options.
 */
public final class ModelLoader {
    /** Which implementation runs a {@code .fovea} model. */
    public enum Backend {
        ENGINE, LIBTORCH
    }

    /**
     * How to open a model. {@code backend} null means the model's own (engine for {@code .fovea}, libtorch for
     * TorchScript); {@code inputShape}, {@code mean}, {@code std} and {@code classNames} may be null (then
     * the sidecar's are used).
     */
    public record Options(Backend backend, Libtorch.DeviceChoice device, int batchSize, Shape inputShape, float[] mean, float[] std,
                          List<String> classNames) {
        public static Options defaults() {
            return new Options(null, Libtorch.DeviceChoice.CPU, 64, null, null, null, null);
        }
    }

    private ModelLoader() {
    }

    public static boolean isTorchScript(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pt") || n.endsWith(".ts") || n.endsWith(".pth") || n.endsWith(".zip");
    }

    public static Classifier open(Path path, Options o) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such model file");
        }
        if (isTorchScript(path)) {
            if (o.backend() == Backend.ENGINE) {
                throw new IllegalArgumentException("--backend engine runs .fovea models only; " + path + " is TorchScript (libtorch)");
            }
            ModelInfo info = torchScriptInfo(path, o);
            JsonNode side = sidecar(path);
            String features = side == null ? "features" : side.path("features_layer").asText("features");
            return new TorchScriptClassifier(path, info, features, Libtorch.device(o.device()), o.batchSize());
        }
        Network net = ModelFile.load(path);
        if (o.inputShape() != null || o.mean() != null || o.std() != null || o.classNames() != null) {
            throw new IllegalArgumentException("--input-shape, --mean, --std and --classes describe TorchScript models; " + path
                    + " carries its own metadata");
        }
        if (o.backend() == Backend.LIBTORCH) {
            return new LibtorchNetwork(net, Libtorch.device(o.device()), o.batchSize());
        }
        if (o.device() == Libtorch.DeviceChoice.GPU) {
            throw new IllegalArgumentException("--device gpu needs --backend libtorch (the own engine runs on the CPU)");
        }
        return new EngineClassifier(net, o.batchSize());
    }

    /** The sidecar {@code MODEL.json} beside {@code MODEL.pt}, or null. */
    static JsonNode sidecar(Path model) throws IOException {
        String name = model.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path side = model.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
        if (!Files.isRegularFile(side)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(side.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(side + ": not valid JSON");
        }
    }

    static ModelInfo torchScriptInfo(Path path, Options o) throws IOException {
        JsonNode side = sidecar(path);
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
        String where = path.toString();
        if (!json.has("input_shape")) {
            throw new ModelFormatException(where + ": no metadata: put a sidecar " + path.getFileName().toString().replaceFirst("\\.[^.]+$", "")
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
        return ModelFile.parseInfo(json, where + " metadata");
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

    /** Reads a class-names file: one name per line, blank lines skipped. */
    public static List<String> readClasses(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        if (out.isEmpty()) {
            throw new ModelFormatException(file + ": no class names");
        }
        return out;
    }
}
