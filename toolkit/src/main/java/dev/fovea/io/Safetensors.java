package dev.fovea.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Shape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data section), then the
 * raw little-endian data. Reads and writes {@code F32} and {@code I64}; reading checks every offset and size against
 * the buffer, and the header against {@link Limits#MAX_TEXT_BYTES}, before it allocates.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    public static byte[] write(Map<String, StateTensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (StateTensor t : tensors.values()) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype());
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            long bytes = (long) t.shape().size() * (t.floats() != null ? 4 : 8);
            ArrayNode off = e.putArray("data_offsets");
            off.add(offset);
            off.add(offset + bytes);
            offset += bytes;
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length + pad);
        out.writeBytes(len.array());
        out.writeBytes(h);
        for (int i = 0; i < pad; i++) {
            out.write(' ');
        }
        ByteBuffer data = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
        for (StateTensor t : tensors.values()) {
            if (t.floats() != null) {
                data.asFloatBuffer().put(t.floats());
                data.position(data.position() + 4 * t.floats().length);
            } else {
                data.asLongBuffer().put(t.longs());
                data.position(data.position() + 8 * t.longs().length);
            }
        }
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    /** Parses a safetensors buffer; {@code where} names it in errors. */
    public static Map<String, StateTensor> read(byte[] bytes, String where) throws ModelFormatException {
        if (bytes.length < 8) {
            throw new ModelFormatException(where + ": truncated safetensors file (" + bytes.length + " bytes, no header)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long hlen = buf.getLong(0);
        if (hlen <= 0 || hlen > bytes.length - 8L) {
            throw new ModelFormatException(where + ": truncated or corrupt safetensors file (header length " + hlen + ", file " + bytes.length + " bytes)");
        }
        if (hlen > Limits.MAX_TEXT_BYTES) {
            throw new ModelFormatException(where + ": safetensors header of " + Limits.bytes(hlen) + ", more than the "
                    + Limits.bytes(Limits.MAX_TEXT_BYTES) + " cap on JSON headers");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) hlen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFormatException(where + ": corrupt safetensors header (not JSON)");
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(where + ": corrupt safetensors header (not a JSON object)");
        }
        int dataStart = (int) (8 + hlen);
        long dataLen = bytes.length - dataStart;
        Map<String, StateTensor> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            String name = f.getKey();
            JsonNode e = f.getValue();
            String dtype = e.path("dtype").asText("");
            JsonNode shapeNode = e.path("shape");
            JsonNode offs = e.path("data_offsets");
            if (!e.isObject() || !shapeNode.isArray() || !offs.isArray() || offs.size() != 2 || !offs.get(0).isIntegralNumber()
                    || !offs.get(1).isIntegralNumber()) {
                throw new ModelFormatException(where + ": tensor '" + name + "' has a malformed header entry");
            }
            int[] dims = new int[shapeNode.size()];
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = shapeNode.get(i);
                dims[i] = d.isIntegralNumber() && d.canConvertToInt() ? d.asInt() : -1;
            }
            Shape shape;
            try {
                shape = Shape.of(dims);
            } catch (IllegalArgumentException ex) {
                throw new ModelFormatException(where + ": tensor '" + name + "' has an invalid shape " + shapeNode);
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            int width = switch (dtype) {
                case "F32" -> 4;
                case "I64" -> 8;
                default -> throw new ModelFormatException(where + ": tensor '" + name + "' has dtype " + dtype + " (expected F32"
                        + (name.endsWith("num_batches_tracked") ? " or I64" : "") + ")");
            };
            if (begin < 0 || end < begin || end > dataLen) {
                throw new ModelFormatException(where + ": truncated or corrupt: tensor '" + name + "' needs bytes " + begin + ".." + end
                        + " of a data section of " + dataLen);
            }
            if (end - begin != (long) shape.size() * width) {
                throw new ModelFormatException(where + ": tensor '" + name + "' holds " + (end - begin) + " bytes, its shape " + shape
                        + " and dtype " + dtype + " need " + (long) shape.size() * width);
            }
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (width == 4) {
                float[] v = new float[shape.size()];
                slice.asFloatBuffer().get(v);
                out.put(name, StateTensor.of(name, shape, v));
            } else {
                long[] v = new long[shape.size()];
                slice.asLongBuffer().get(v);
                out.put(name, StateTensor.ofLongs(name, shape, v));
            }
        }
        return out;
    }

    /** The {@code __metadata__} map of a safetensors buffer, empty when absent. */
    public static Map<String, String> metadata(byte[] bytes) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            long hlen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            JsonNode header = JSON.readTree(new String(bytes, 8, (int) hlen, StandardCharsets.UTF_8));
            header.path("__metadata__").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        } catch (IOException | RuntimeException e) {
            return m;
        }
        return m;
    }
}
