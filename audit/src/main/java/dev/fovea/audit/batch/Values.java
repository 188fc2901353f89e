package dev.fovea.audit.batch;

import dev.fovea.audit.Budgets;
import dev.fovea.method.InvalidOptionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a plan's plain values (as a spec gives them, or as {@code cell.json} gives them back) by field name:
 * numbers may arrive as any {@link Number} or as text ({@code 8/255}, read by {@link Budgets#parse}), lists as lists, maps as maps. A value of the
 * wrong kind is an {@link InvalidOptionException} naming the field.
 */
final class Values {
    private Values() {
    }

    static String text(Map<String, Object> m, String field, String fallback) {
        Object v = m.get(field);
        if (v == null) {
            return fallback;
        }
        if (v instanceof List || v instanceof Map) {
            throw new InvalidOptionException(field, field + ": expected one value, got a " + (v instanceof List ? "list" : "map"));
        }
        return v.toString();
    }

    static Integer integer(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(field, field + ": expected an integer, got '" + v + "'");
        }
    }

    /** The cell's seed ({@code 0} when absent). */
    static long seed(Map<String, Object> m) {
        Object v = m.get("seed");
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException("seed", "seed: expected an integer, got '" + v + "'");
        }
    }

    static Double real(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : real(field, v);
    }

    static double real(String field, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Budgets.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(field, field + ": " + e.getMessage());
        }
    }

    static Boolean bool(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String t = v.toString().strip();
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new InvalidOptionException(field, field + ": expected true or false, got '" + v + "'");
    }

    /** A list field; one value alone is a list of one. */
    static List<Object> list(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Map) {
            throw new InvalidOptionException(field, field + ": expected a list, got a map");
        }
        return v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
    }

    static List<Double> reals(Map<String, Object> m, String field) {
        List<Object> l = list(m, field);
        return l == null ? null : l.stream().map(v -> real(field, v)).toList();
    }

    /** A map field as text values (the methods' own options, by library name). */
    static Map<String, String> texts(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> given)) {
            throw new InvalidOptionException(field, field + ": expected a map of option names to values, got '" + v + "'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        given.forEach((k, x) -> {
            if (x instanceof List || x instanceof Map) {
                throw new InvalidOptionException(String.valueOf(k), k + ": expected one value, got a " + (x instanceof List ? "list" : "map"));
            }
            out.put(String.valueOf(k), x == null ? null : x.toString());
        });
        return out;
    }

    /** {@code step_size} as {@code stepSize}: the library's spelling of a spec's snake-case field. */
    static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_' || c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    /** {@code stepSize} as {@code step_size}. */
    static String snake(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('_').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
