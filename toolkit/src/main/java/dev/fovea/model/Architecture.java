package dev.fovea.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.io.Limits;
import dev.fovea.nn.Activation;
import dev.fovea.nn.AvgPool2d;
import dev.fovea.nn.BatchNorm;
import dev.fovea.nn.Conv2d;
import dev.fovea.nn.ConvTranspose2d;
import dev.fovea.nn.Dropout;
import dev.fovea.nn.Flatten;
import dev.fovea.nn.GlobalAvgPool;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Linear;
import dev.fovea.nn.MaxPool2d;
import dev.fovea.nn.Residual;
import dev.fovea.nn.Sequential;
import dev.fovea.nn.Softmax;
import dev.fovea.nn.SubsamplePad;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A network architecture as data: a JSON object {@code {"name": ..., "init": "he"|"xavier", "layers": [...]}}
 * whose layers are objects with a {@code type} and its options. Input channels and feature counts are inferred
 * from the input shape; {@code "out_features": "classes"} stands for the class count. Built-in architectures
 * ({@link #NAMES}) are such files shipped as resources, so a user's file and a built-in go through one path.
 *
 * <p>Layer types and options (defaults in brackets): {@code conv2d} and {@code conv_transpose2d}
 * (out_channels, kernel, stride [1], padding [0], bias [true]); {@code linear} (out_features, bias [true]);
 * {@code maxpool2d}, {@code avgpool2d} (kernel, stride [kernel], padding [0]); {@code global_avgpool};
 * {@code batchnorm2d}, {@code batchnorm1d}; {@code relu}, {@code leaky_relu} (slope [0.01]), {@code sigmoid},
 * {@code tanh}, {@code softmax}, {@code dropout} (p [0.5]); {@code flatten}; {@code residual} (body: layers,
 * shortcut: layers [identity]); {@code subsample_pad} (out_channels, stride [1]: every stride-th row and column,
 * with {@code (out_channels - C) / 2} zero channels before and after, the parameter-free "option A" shortcut of
 * the CIFAR ResNets, see {@link SubsamplePad}).
 * A key that the object or the layer's type does not take is refused, naming it, where it is and the keys that
 * are taken, so a misspelt option never falls back to its default.
 */
public record Architecture(String name, JsonNode spec) {
    /** Names of the built-in architectures. */
    public static final List<String> NAMES = List.of("mlp", "lenet5", "convnet", "resnet8", "resnet20", "resnet18");
    /** Layer types an architecture may use. */
    public static final List<String> LAYER_TYPES = List.of("conv2d", "conv_transpose2d", "linear", "maxpool2d", "avgpool2d",
            "global_avgpool", "batchnorm2d", "batchnorm1d", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "dropout",
            "flatten", "residual", "subsample_pad");

    /** The keys of an architecture object. */
    public static final List<String> KEYS = List.of("name", "init", "layers");

    private static final List<String> CONV = List.of("type", "out_channels", "kernel", "kernel_size", "stride", "padding", "bias");
    private static final List<String> POOL = List.of("type", "kernel", "kernel_size", "stride", "padding");
    private static final List<String> PLAIN = List.of("type");
    /** The keys each layer type takes ({@code kernel_size} is another name for {@code kernel}). */
    private static final Map<String, List<String>> LAYER_KEYS = Map.ofEntries(Map.entry("conv2d", CONV), Map.entry("conv_transpose2d", CONV),
            Map.entry("linear", List.of("type", "out_features", "bias")), Map.entry("maxpool2d", POOL), Map.entry("avgpool2d", POOL),
            Map.entry("global_avgpool", PLAIN), Map.entry("batchnorm2d", PLAIN), Map.entry("batchnorm1d", PLAIN), Map.entry("relu", PLAIN),
            Map.entry("leaky_relu", List.of("type", "slope")), Map.entry("sigmoid", PLAIN), Map.entry("tanh", PLAIN), Map.entry("softmax", PLAIN),
            Map.entry("dropout", List.of("type", "p")), Map.entry("flatten", PLAIN), Map.entry("residual", List.of("type", "body", "shortcut")),
            Map.entry("subsample_pad", List.of("type", "out_channels", "stride")));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A built-in architecture by name. */
    public static Architecture named(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("architecture: unknown name '" + name + "' (built-in: " + String.join(", ", NAMES)
                    + "; or give a .json file)");
        }
        try (InputStream in = Architecture.class.getResourceAsStream("arch/" + name + ".json")) {
            return fromJson(JSON.readTree(in), name);
        } catch (IOException e) {
            throw new IllegalStateException("architecture: built-in '" + name + "' could not be read", e);
        }
    }

    /** A built-in name, or a path to a JSON architecture file. */
    public static Architecture resolve(String nameOrFile) throws IOException {
        if (NAMES.contains(nameOrFile)) {
            return named(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (!nameOrFile.endsWith(".json") && !Files.exists(p)) {
            return named(nameOrFile);
        }
        if (!Files.isRegularFile(p)) {
            throw new java.nio.file.NoSuchFileException(nameOrFile, null, "no such architecture file");
        }
        byte[] text = Limits.readText(p);
        if (text == null) {
            throw new IOException(nameOrFile + ": architecture file of " + Limits.describeSize(p));
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException(nameOrFile + ": not valid JSON: " + firstLine(e.getMessage()));
        }
        String fallback = p.getFileName().toString().replaceFirst("\\.json$", "");
        try {
            return fromJson(node, fallback);
        } catch (IllegalArgumentException e) {
            throw new IOException(nameOrFile + ": " + e.getMessage());
        }
    }

    /** Validates the top level of an architecture object. */
    public static Architecture fromJson(JsonNode node, String fallbackName) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("architecture: expected a JSON object with a \"layers\" array");
        }
        if (!node.path("layers").isArray()) {
            throw new IllegalArgumentException("architecture: expected a \"layers\" array");
        }
        String init = node.path("init").asText("he");
        if (!init.equals("he") && !init.equals("xavier")) {
            throw new IllegalArgumentException("architecture: init must be \"he\" or \"xavier\", got \"" + init + "\"");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("architecture: unknown key \"" + key + "\" (an architecture has " + String.join(", ", KEYS) + ")");
            }
        }
        checkKeys(node.get("layers"), "layers");
        return new Architecture(node.path("name").asText(fallbackName), node.deepCopy());
    }

    /**
     * Refuses a key that the layer's type does not take ({@code "paddng": 1} would otherwise leave padding at 0),
     * naming the layer's path and type and the keys it takes; layers without a known type are left to
     * {@link #build}, which names them.
     */
    private static void checkKeys(JsonNode layers, String path) {
        if (layers == null || !layers.isArray()) {
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            JsonNode n = layers.get(i);
            String where = path + "[" + i + "]";
            List<String> keys = n.isObject() ? LAYER_KEYS.get(n.path("type").asText()) : null;
            if (keys == null) {
                continue;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException("architecture: " + where + " (" + n.get("type").asText() + "): unknown key \"" + key + "\" ("
                            + n.get("type").asText() + " takes " + String.join(", ", keys) + ")");
                }
            }
            checkKeys(n.get("body"), where + ".body");
            checkKeys(n.get("shortcut"), where + ".shortcut");
        }
    }

    public Init init() {
        return spec.path("init").asText("he").equals("xavier") ? Init.XAVIER : Init.HE;
    }

    /** The spec as stored in a model file: with the name filled in. */
    public JsonNode toJson() {
        ObjectNode o = spec.deepCopy();
        o.put("name", name);
        return o;
    }

    /**
     * Builds the network for per-sample input shape {@code [C,H,W]} and {@code classes} outputs, with zero weights
     * (see {@link Init} to initialise them). Throws {@link IllegalArgumentException} naming the layer's path on an
     * unknown type, a bad option or a shape that does not fit.
     */
    public Sequential build(Shape inputShape, int classes, long seed) {
        return build(inputShape, classes, seed, Limits.MAX_PARAMETERS);
    }

    /**
     * As {@link #build(Shape, int, long)}, refusing, before it allocates them, layers whose parameters (learned
     * and running statistics together) would bring the network past {@code maxParameters} (at most
     * {@link Limits#MAX_PARAMETERS}).
     */
    public Sequential build(Shape inputShape, int classes, long seed, long maxParameters) {
        Shape s = inputShape.withBatch(1);
        return buildList(spec.path("layers"), "layers", s, classes, seed, new long[] {Math.min(maxParameters, Limits.MAX_PARAMETERS)});
    }

    private static Sequential buildList(JsonNode layers, String path, Shape in, int classes, long seed, long[] budget) {
        List<Layer> out = new ArrayList<>();
        Shape s = in;
        for (int i = 0; i < layers.size(); i++) {
            String where = path + "[" + i + "]";
            Layer l = buildLayer(layers.get(i), where, s, classes, seed + 7919L * i, budget);
            try {
                s = l.outputShape(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            out.add(l);
        }
        return new Sequential(out);
    }

    private static Layer buildLayer(JsonNode n, String where, Shape in, int classes, long seed, long[] budget) {
        if (!n.isObject() || !n.hasNonNull("type")) {
            throw new IllegalArgumentException(where + ": expected an object with a \"type\"");
        }
        String type = n.get("type").asText();
        try {
            spend(budget, parameters(n, type, in, classes), type);
            return switch (type) {
                case "conv2d" -> new Conv2d(channels(in, where, type), req(n, "out_channels", where), kernel(n, where),
                        n.path("stride").asInt(1), n.path("padding").asInt(0), n.path("bias").asBoolean(true));
                case "conv_transpose2d" -> new ConvTranspose2d(channels(in, where, type), req(n, "out_channels", where), kernel(n, where),
                        n.path("stride").asInt(1), n.path("padding").asInt(0), n.path("bias").asBoolean(true));
                case "linear" -> {
                    if (in.rank() != 2) {
                        throw new IllegalArgumentException("linear: expected input [N,F] (add a flatten), got " + in);
                    }
                    JsonNode of = n.get("out_features");
                    int out = of != null && of.isTextual() && of.asText().equals("classes") ? classes : req(n, "out_features", where);
                    yield new Linear(in.dim(1), out, n.path("bias").asBoolean(true));
                }
                case "maxpool2d" -> new MaxPool2d(kernel(n, where), n.path("stride").asInt(kernel(n, where)), n.path("padding").asInt(0));
                case "avgpool2d" -> new AvgPool2d(kernel(n, where), n.path("stride").asInt(kernel(n, where)), n.path("padding").asInt(0));
                case "global_avgpool" -> new GlobalAvgPool();
                case "batchnorm2d" -> new BatchNorm.BatchNorm2d(channels(in, where, type));
                case "batchnorm1d" -> {
                    if (in.rank() != 2) {
                        throw new IllegalArgumentException("batchnorm1d: expected input [N,F], got " + in);
                    }
                    yield new BatchNorm.BatchNorm1d(in.dim(1));
                }
                case "relu" -> new Activation.ReLU();
                case "leaky_relu" -> new Activation.LeakyReLU((float) n.path("slope").asDouble(0.01));
                case "sigmoid" -> new Activation.Sigmoid();
                case "tanh" -> new Activation.Tanh();
                case "softmax" -> new Softmax();
                case "dropout" -> new Dropout((float) n.path("p").asDouble(0.5), seed);
                case "flatten" -> new Flatten();
                case "subsample_pad" -> {
                    int c = channels(in, where, type);
                    int out = req(n, "out_channels", where);
                    if (out < c || (out - c) % 2 != 0) {
                        throw new IllegalArgumentException("subsample_pad: expected out_channels at least the " + c
                                + " input channels with an even difference (half the new channels go before, half after), got " + out);
                    }
                    yield new SubsamplePad(n.path("stride").asInt(1), (out - c) / 2);
                }
                case "residual" -> {
                    Sequential body = buildList(n.path("body"), where + ".body", in, classes, seed + 1, budget);
                    Sequential shortcut = n.has("shortcut") ? buildList(n.path("shortcut"), where + ".shortcut", in, classes, seed + 2, budget)
                            : new Sequential(List.of());
                    yield new Residual(body, shortcut);
                }
                default -> throw new IllegalArgumentException("unknown layer type '" + type + "' (known: " + String.join(", ", LAYER_TYPES) + ")");
            };
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException(msg.startsWith(where) || msg.startsWith("layers") ? msg : where + ": " + msg, e);
        }
    }

    /**
     * The parameter values a layer will allocate, computed from its spec before it is built (0 for layers without
     * parameters, and for specs the layer's own checks will refuse).
     */
    private static long parameters(JsonNode n, String type, Shape in, int classes) {
        double k = Math.max(0, n.path(n.has("kernel") ? "kernel" : "kernel_size").asDouble(0));
        double bias = n.path("bias").asBoolean(true) ? 1 : 0;
        double c = in.rank() == 4 || in.rank() == 2 ? in.dim(1) : 0;
        double p = switch (type) {
            case "conv2d", "conv_transpose2d" -> {
                double out = Math.max(0, n.path("out_channels").asDouble(0));
                yield in.rank() == 4 ? out * c * k * k + bias * out : 0;
            }
            case "linear" -> {
                JsonNode of = n.get("out_features");
                double out = of != null && of.isTextual() && of.asText().equals("classes") ? classes : Math.max(0, n.path("out_features").asDouble(0));
                yield in.rank() == 2 ? out * c + bias * out : 0;
            }
            case "batchnorm2d", "batchnorm1d" -> 4 * c + 1;
            default -> 0;
        };
        return p >= 0x1p62 ? 1L << 62 : (long) p;
    }

    private static void spend(long[] budget, long parameters, String type) {
        if (parameters > budget[0]) {
            throw new IllegalArgumentException(type + ": needs " + parameters + " parameters, more than the " + budget[0]
                    + " the network may still have");
        }
        budget[0] -= parameters;
    }

    private static int channels(Shape in, String where, String type) {
        if (in.rank() != 4) {
            throw new IllegalArgumentException(type + ": expected input [N,C,H,W], got " + in);
        }
        return in.dim(1);
    }

    private static int kernel(JsonNode n, String where) {
        if (n.has("kernel")) {
            return req(n, "kernel", where);
        }
        return req(n, "kernel_size", where);
    }

    private static int req(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(n.path("type").asText() + ": expected integer \"" + key + "\", got " + (v == null ? "nothing" : v.toString()));
        }
        return v.asInt();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
