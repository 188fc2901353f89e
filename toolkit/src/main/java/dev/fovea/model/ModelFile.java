package dev.fovea.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Limits;
import dev.fovea.io.ModelFormatException;
import dev.fovea.io.Safetensors;
import dev.fovea.nn.Sequential;
import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Shape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .fovea} model file: a zip holding {@code model.json} (format version, architecture, input shape,
 * normalisation, class names, provenance) and {@code weights.safetensors} (tensors named as the PyTorch
 * {@code state_dict} of the same network). Loading validates everything and names what is wrong.
 */
public final class ModelFile {
    public static final String MODEL_JSON = "model.json";
    public static final String WEIGHTS = "weights.safetensors";
    /** The extension of a model file. */
    public static final String EXTENSION = ".fovea";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {
    }

    /** Whether {@code path} is named as a model file: it ends in {@value #EXTENSION}, in any case. */
    public static boolean isFovea(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION);
    }

    public static void save(Network net, Path path) throws IOException {
        ModelInfo info = net.info();
        ObjectNode json = toJson(info);
        Map<String, StateTensor> state = StateDict.of(net.root());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("producer", "fovea " + Version.VERSION);
        byte[] weights = Safetensors.write(state, meta);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, MODEL_JSON, JSON.writeValueAsBytes(json));
            put(zip, WEIGHTS, weights);
        }
        AtomicFiles.write(path, out -> bytes.writeTo(out));
    }

    public static ObjectNode toJson(ModelInfo info) {
        ObjectNode json = JSON.createObjectNode();
        json.put("format_version", info.formatVersion());
        json.set("architecture", info.architecture().toJson());
        ArrayNode shape = json.putArray("input_shape");
        for (int d : info.inputShape().dims()) {
            shape.add(d);
        }
        ArrayNode mean = json.putArray("mean");
        for (float m : info.mean()) {
            mean.add(m);
        }
        ArrayNode std = json.putArray("std");
        for (float s : info.std()) {
            std.add(s);
        }
        ArrayNode classes = json.putArray("classes");
        info.classNames().forEach(classes::add);
        json.set("provenance", info.provenance() == null ? JSON.createObjectNode() : info.provenance());
        return json;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0L);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    public static Network load(Path path) throws IOException {
        String where = path.toString();
        if (!Files.exists(path)) {
            throw new NoSuchFileException(where, null, "no such model file");
        }
        Map<String, byte[]> entries = readZip(path, where);
        byte[] mj = entries.get(MODEL_JSON);
        byte[] wb = entries.get(WEIGHTS);
        if (mj == null || wb == null) {
            throw new ModelFormatException(where + ": not a fovea model (missing " + (mj == null ? MODEL_JSON : WEIGHTS) + " in the archive)");
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(mj);
        } catch (IOException e) {
            throw new ModelFormatException(where + ": " + MODEL_JSON + " is not valid JSON");
        }
        ModelInfo info = parseInfo(json, where);
        Map<String, StateTensor> stored = Safetensors.read(wb, where + "!" + WEIGHTS);
        long values = stored.values().stream().mapToLong(t -> t.shape().size()).sum();
        Sequential root;
        try {
            // An architecture that needs far more parameters than the weights hold is refused before it allocates them.
            root = info.architecture().build(info.inputShape(), info.classes(), 0L, 2 * values + (1 << 20));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": architecture: " + e.getMessage() + (e.getMessage().contains(" parameters, more than")
                    ? " (" + WEIGHTS + " holds " + values + " values)" : ""));
        }
        loadState(root, stored, where);
        try {
            return new Network(root, info);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    /** Copies {@code stored} into the network's state, requiring the same names, shapes and dtypes. */
    public static void loadState(Sequential root, Map<String, StateTensor> stored, String where) throws ModelFormatException {
        Map<String, StateTensor> want = StateDict.of(root);
        TreeSet<String> missing = new TreeSet<>(want.keySet());
        missing.removeAll(stored.keySet());
        TreeSet<String> extra = new TreeSet<>(stored.keySet());
        extra.removeAll(want.keySet());
        if (!missing.isEmpty()) {
            throw new ModelFormatException(where + ": missing tensor" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (the architecture needs " + want.size() + " tensors)");
        }
        if (!extra.isEmpty()) {
            throw new ModelFormatException(where + ": unexpected tensor" + (extra.size() > 1 ? "s " : " ") + String.join(", ", extra)
                    + " (not in the architecture)");
        }
        for (StateTensor w : want.values()) {
            StateTensor s = stored.get(w.name());
            if (!s.shape().equals(w.shape())) {
                throw new ModelFormatException(where + ": tensor '" + w.name() + "' has shape " + s.shape() + ", the architecture needs " + w.shape());
            }
            if (!s.dtype().equals(w.dtype())) {
                throw new ModelFormatException(where + ": tensor '" + w.name() + "' has dtype " + s.dtype() + ", expected " + w.dtype());
            }
            if (w.floats() != null) {
                for (float v : s.floats()) {
                    if (!Float.isFinite(v)) {
                        throw new ModelFormatException(where + ": tensor '" + w.name() + "' holds NaN or infinite values");
                    }
                }
                System.arraycopy(s.floats(), 0, w.floats(), 0, w.floats().length);
            } else {
                System.arraycopy(s.longs(), 0, w.longs(), 0, w.longs().length);
            }
        }
    }

    /** The keys of {@code model.json}. */
    public static final List<String> KEYS = List.of("format_version", "architecture", "input_shape", "mean", "std", "classes", "provenance");

    /** Reads and checks {@code model.json}. */
    public static ModelInfo parseInfo(JsonNode json, String where) throws ModelFormatException {
        return parseInfo(json, where, List.of());
    }

    /**
     * Reads and checks {@code model.json}, or metadata in its schema that may also hold the keys {@code more}
     * (a TorchScript sidecar's {@code features_layer}). A key outside {@link #KEYS} and {@code more} is refused,
     * naming it and the valid keys; {@code provenance} is free-form.
     */
    public static ModelInfo parseInfo(JsonNode json, String where, List<String> more) throws ModelFormatException {
        if (!json.isObject()) {
            throw new ModelFormatException(where + ": " + MODEL_JSON + " is not a JSON object");
        }
        List<String> keys = new ArrayList<>(KEYS);
        keys.addAll(more);
        for (java.util.Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new ModelFormatException(where + ": unknown key \"" + key + "\" in " + MODEL_JSON + " (keys: " + String.join(", ", keys) + ")");
            }
        }
        int version = json.path("format_version").asInt(-1);
        if (version < 1) {
            throw new ModelFormatException(where + ": " + MODEL_JSON + " has no valid format_version");
        }
        if (version > ModelInfo.FORMAT_VERSION) {
            throw new ModelFormatException(where + ": model format version " + version + " is newer than this fovea reads (up to "
                    + ModelInfo.FORMAT_VERSION + "); upgrade fovea");
        }
        Architecture arch;
        try {
            arch = Architecture.fromJson(json.get("architecture"), "model");
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        int[] shape = ints(json.path("input_shape"), "input_shape", where);
        float[] mean = floats(json.path("mean"), "mean", where);
        float[] std = floats(json.path("std"), "std", where);
        List<String> classes = new ArrayList<>();
        json.path("classes").forEach(c -> classes.add(c.asText()));
        ObjectNode prov = json.path("provenance").isObject() ? (ObjectNode) json.get("provenance") : JSON.createObjectNode();
        try {
            return new ModelInfo(version, arch, Shape.of(shape), mean, std, classes, prov);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    private static int[] ints(JsonNode a, String key, String where) throws ModelFormatException {
        if (!a.isArray() || a.isEmpty()) {
            throw new ModelFormatException(where + ": " + MODEL_JSON + " needs an array \"" + key + "\"");
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isIntegralNumber()) {
                throw new ModelFormatException(where + ": " + MODEL_JSON + " \"" + key + "\" must hold integers, got " + a);
            }
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode a, String key, String where) throws ModelFormatException {
        if (!a.isArray() || a.isEmpty()) {
            throw new ModelFormatException(where + ": " + MODEL_JSON + " needs an array \"" + key + "\"");
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) {
                throw new ModelFormatException(where + ": " + MODEL_JSON + " \"" + key + "\" must hold numbers, got " + a);
            }
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    /**
     * The two entries, each inflated twice: first counted (with its CRC) without keeping it, stopping as soon as it
     * passes the size its header declares or the cap, then read into an array of the size counted. A header that
     * lies about an entry's size is caught after that size, not after the inflated data.
     */
    private static Map<String, byte[]> readZip(Path path, String where) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            long left = Limits.MAX_MODEL_BYTES;
            for (String name : List.of(MODEL_JSON, WEIGHTS)) {
                ZipEntry e = zip.getEntry(name);
                if (e == null) {
                    continue;
                }
                long cap = Math.min(left, name.equals(MODEL_JSON) ? Limits.MAX_TEXT_BYTES : Limits.MAX_MODEL_BYTES);
                String capName = name.equals(MODEL_JSON) && cap == Limits.MAX_TEXT_BYTES
                        ? "the " + Limits.bytes(cap) + " cap on " + MODEL_JSON
                        : "the " + Limits.bytes(Limits.MAX_MODEL_BYTES) + " cap on a model file's inflated entries";
                if (e.getSize() > cap) {
                    throw new ModelFormatException(where + ": " + name + " declares " + Limits.bytes(e.getSize()) + ", more than " + capName);
                }
                long declared = e.getSize();
                long limit = declared >= 0 ? declared : cap;
                CRC32 crc = new CRC32();
                long size;
                try (InputStream in = zip.getInputStream(e)) {
                    size = Limits.count(in, limit, crc);
                }
                if (size > limit) {
                    throw new ModelFormatException(where + ": " + name + " inflates to more than "
                            + (declared >= 0 ? "the " + Limits.bytes(declared) + " its header declares" : capName));
                }
                if (declared >= 0 && size < declared) {
                    throw new ModelFormatException(where + ": corrupt or truncated model file: " + name + " inflates to " + Limits.bytes(size)
                            + ", its header declares " + Limits.bytes(declared));
                }
                if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
                    throw new ModelFormatException(where + ": corrupt model file: " + name + " does not match the CRC-32 its header declares");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] b = in.readNBytes((int) size);
                    if (b.length != size || in.read() >= 0) {
                        throw new ModelFormatException(where + ": " + name + " changed while it was read");
                    }
                    out.put(name, b);
                }
                left -= size;
            }
        } catch (ZipException | java.io.EOFException e) {
            boolean zipMagic;
            try (InputStream in = Files.newInputStream(path)) {
                byte[] head = in.readNBytes(4);
                zipMagic = head.length == 4 && head[0] == 'P' && head[1] == 'K';
            }
            throw new ModelFormatException(where + (zipMagic ? ": corrupt or truncated model file (" + e.getMessage() + ")"
                    : ": not a fovea model (not a zip archive)"));
        }
        return out;
    }
}
