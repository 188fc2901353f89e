package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cell of a grid, an independent unit of work: its id, its place in the grid ({@code index}, from 0), its
 * type, its coordinates on the grid's axes ({@code axes}: model, data, seed, type and every field the spec gave as
 * an axis), the model and data it runs on, the first {@code limit} images it takes ({@code null}: all), and its
 * fully resolved plan (the {@link CellType#resolve} of the run entry's values on the model).
 *
 * <p>The id is {@code TYPE-HASH}: the first 12 hexadecimal digits of the SHA-256 of the canonical JSON (keys
 * sorted) of the type, the model's path as written and its SHA-256 and flags, the data's source and sampling, the
 * limit and the plan. So the same plan on the same files has the same id on every run and machine, a changed
 * model or option gives a new one, and a result folder named by the id is the result of that plan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cell(String id, int index, String type, Map<String, Object> axes, ModelEntry model, DataEntry data, Integer limit,
                   Map<String, Object> plan) {
    /** Sorted keys, no indentation: the bytes the id hashes. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    public Cell {
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        plan = Collections.unmodifiableMap(new LinkedHashMap<>(plan));
    }

    /** The cell of these coordinates, its id computed. */
    public static Cell of(int index, String type, Map<String, Object> axes, ModelEntry model, DataEntry data, Integer limit, Map<String, Object> plan) {
        return new Cell(hash(type, model, data, limit, plan), index, type, axes, model, data, limit, plan);
    }

    /** The id this cell's contents hash to; {@link #id} unless the cell was altered. */
    public String computedId() {
        return hash(type, model, data, limit, plan);
    }

    private static String hash(String type, ModelEntry model, DataEntry data, Integer limit, Map<String, Object> plan) {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("type", type);
        identity.put("model", model.identity());
        identity.put("data", data.identity());
        identity.put("limit", limit);
        identity.put("plan", plan);
        try {
            byte[] bytes = CANONICAL.writeValueAsString(identity).getBytes(StandardCharsets.UTF_8);
            return type + "-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The plan's {@code method}, or {@code null} for types without one. */
    public String method() {
        Object m = plan.get("method");
        return m == null ? null : m.toString();
    }

    /** {@code attack pgd on convnet, fashion-mnist-1k, seed 0}: the cell in a few words. */
    public String describe() {
        StringBuilder b = new StringBuilder(type);
        if (method() != null) {
            b.append(' ').append(method());
        }
        b.append(" on ").append(model.name()).append(", ").append(data.name());
        axes.forEach((k, v) -> {
            if (!Grid.FIXED_AXES.contains(k) && !k.equals("method")) {
                b.append(", ").append(k).append(' ').append(v);
            }
        });
        return b.append(", seed ").append(axes.get("seed")).toString();
    }
}
