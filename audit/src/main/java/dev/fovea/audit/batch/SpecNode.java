package dev.fovea.audit.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One value of a batch spec with where it was written: the file, the path from the root ({@code runs[0].eps[2]}),
 * and the line and column of its first character (Jackson's {@link JsonLocation} as the YAML or JSON parser
 * reports it). The value is a {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code null}, a list
 * of nodes or a map of nodes in the order written. Jackson's tree ({@code JsonNode}) drops locations, so the spec is
 * read from the parser's tokens into this tree instead, and every later check can name the line it is about.
 *
 * @param file the spec's file name, as messages print it
 * @param path the field's path ({@code ""} for the root)
 * @param line 1-based line
 * @param column 1-based column
 * @param value the value
 */
public record SpecNode(String file, String path, int line, int column, Object value) {
    /** Reads {@code file}: JSON when its name ends in {@code .json}, else YAML (YAML 1.1, a superset of most JSON). */
    public static SpecNode read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(file.toString(), text, json);
    }

    /** Parses {@code text}, named {@code name} in messages, as JSON or YAML; malformed text is a {@link SpecException} at its line. */
    public static SpecNode parse(String name, String text, boolean json) {
        JsonFactory f = json ? new JsonFactory() : new YAMLFactory();
        try (Reader r = new StringReader(text); JsonParser p = f.createParser(r)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new SpecException(name + ":1:1: the spec is empty");
            }
            SpecNode root = read(name, p, "");
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new SpecException(name + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": expected one document, found more");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? name : name + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new SpecException(where + ": malformed " + (json ? "JSON" : "YAML") + ": " + reason(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new SpecException(name + ": " + e.getMessage(), e);
        }
    }

    /** The parser's message without the excerpts of the text and their locations (the message gives the line). */
    private static String reason(String message) {
        List<String> parts = new ArrayList<>();
        for (String l : message.lines().toList()) {
            String t = l.strip();
            if (!t.isEmpty() && !l.startsWith("    ") && !t.startsWith("in 'reader'") && !t.startsWith("at [Source") && !t.equals("^")) {
                parts.add(t);
            }
        }
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    private static SpecNode read(String name, JsonParser p, String path) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, SpecNode> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    p.nextToken();
                    String child = path.isEmpty() ? key : path + "." + key;
                    if (m.containsKey(key)) {
                        throw new SpecException(name + ":" + kl.getLineNr() + ":" + kl.getColumnNr() + ": " + child + ": given twice");
                    }
                    m.put(key, read(name, p, child));
                }
                return new SpecNode(name, path, line, col, Collections.unmodifiableMap(m));
            }
            case START_ARRAY -> {
                List<SpecNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(name, p, path + "[" + list.size() + "]"));
                }
                return new SpecNode(name, path, line, col, Collections.unmodifiableList(list));
            }
            case VALUE_STRING -> {
                return new SpecNode(name, path, line, col, p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return new SpecNode(name, path, line, col, p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new SpecNode(name, path, line, col, p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new SpecNode(name, path, line, col, p.getBooleanValue());
            }
            case VALUE_NULL -> {
                return new SpecNode(name, path, line, col, null);
            }
            default -> throw new SpecException(name + ":" + line + ":" + col + ": " + path + ": unexpected " + p.currentToken());
        }
    }

    /** {@code FILE:LINE:COLUMN: PATH}, the start of every message about this node. */
    public String where() {
        return file + ":" + line + ":" + column + (path.isEmpty() ? "" : ": " + path);
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    public boolean isScalar() {
        return !isMap() && !isList();
    }

    /** The map's entries; a {@link SpecException} unless this is a map. */
    @SuppressWarnings("unchecked")
    public Map<String, SpecNode> map() {
        if (!isMap()) {
            throw SpecException.at(this, "expected a map of fields, got " + kind());
        }
        return (Map<String, SpecNode>) value;
    }

    /** The list's items; a {@link SpecException} unless this is a list. */
    @SuppressWarnings("unchecked")
    public List<SpecNode> list() {
        if (!isList()) {
            throw SpecException.at(this, "expected a list, got " + kind());
        }
        return (List<SpecNode>) value;
    }

    /** The items of a list, or this node alone when it is not one. */
    public List<SpecNode> items() {
        return isList() ? list() : List.of(this);
    }

    /** The scalar as text ({@code 0.5}, {@code true}); a {@link SpecException} for a list, a map or null. */
    public String text() {
        if (!isScalar() || value == null) {
            throw SpecException.at(this, "expected a value, got " + kind());
        }
        return value.toString();
    }

    /** The scalar as a number; text such as {@code 8/255} is read as a fraction. */
    public double number() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        String t = text().strip();
        try {
            int slash = t.indexOf('/');
            if (slash > 0) {
                double d = Double.parseDouble(t.substring(slash + 1));
                if (d != 0) {
                    return Double.parseDouble(t.substring(0, slash)) / d;
                }
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw SpecException.at(this, "expected a number or a fraction such as 8/255, got '" + t + "'");
        }
    }

    /** The scalar as an integer. */
    public long integer() {
        if (value instanceof Long l) {
            return l;
        }
        try {
            return Long.parseLong(text().strip());
        } catch (NumberFormatException e) {
            throw SpecException.at(this, "expected an integer, got '" + text() + "'");
        }
    }

    /** What kind of value this is, for messages. */
    public String kind() {
        if (value == null) {
            return "nothing";
        }
        return isMap() ? "a map" : isList() ? "a list" : value instanceof String s ? "'" + s + "'" : value.toString();
    }

    /** The plain value: nested lists and maps of plain values, for hashing and JSON. */
    public Object plain() {
        if (isMap()) {
            Map<String, Object> m = new LinkedHashMap<>();
            map().forEach((k, v) -> m.put(k, v.plain()));
            return m;
        }
        if (isList()) {
            return list().stream().map(SpecNode::plain).toList();
        }
        return value;
    }
}
