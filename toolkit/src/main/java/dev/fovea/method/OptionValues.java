package dev.fovea.method;

import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named option values for one method, as a front end, an audit plan or a batch spec gives them: text for the
 * options of type {@code int}, {@code double}, {@code boolean}, {@code string} and {@code enum}, tensors for those
 * of type {@code tensor}. Made against the method's {@link OptionInfo}s, so a name the method does not have is an
 * {@link InvalidOptionException} at once; each getter returns the given value parsed, or the fallback (the method's
 * default) when the name is absent, and a value that does not parse is an {@link InvalidOptionException} naming
 * the option ({@code "steps: expected an integer, got 'many'"}). Ranges are the options record's to check.
 */
public final class OptionValues {
    private final Map<String, String> text;
    private final Map<String, Tensor> tensors;

    /**
     * {@code text} and {@code tensors} checked against {@code options}, the options of method {@code method} (its
     * name, for messages); either map may be {@code null} for none.
     */
    public OptionValues(String method, List<OptionInfo> options, Map<String, String> text, Map<String, Tensor> tensors) {
        this.text = new LinkedHashMap<>(text == null ? Map.of() : text);
        this.tensors = new LinkedHashMap<>(tensors == null ? Map.of() : tensors);
        Map<String, OptionInfo> byName = new LinkedHashMap<>();
        options.forEach(o -> byName.put(o.name(), o));
        for (String name : this.text.keySet()) {
            OptionInfo o = known(method, byName, name);
            if (o.type().equals("tensor")) {
                throw new InvalidOptionException(name, name + ": expected a tensor, got text '" + this.text.get(name) + "'");
            }
        }
        for (String name : this.tensors.keySet()) {
            OptionInfo o = known(method, byName, name);
            if (!o.type().equals("tensor")) {
                throw new InvalidOptionException(name, name + ": expected " + o.type() + " text, got a tensor");
            }
        }
    }

    private static OptionInfo known(String method, Map<String, OptionInfo> byName, String name) {
        OptionInfo o = byName.get(name);
        if (o == null) {
            List<String> names = new ArrayList<>(byName.keySet());
            throw new InvalidOptionException(name, name + ": not an option of " + method
                    + (names.isEmpty() ? ", which has none" : " (options: " + String.join(", ", names) + ")"));
        }
        return o;
    }

    public boolean has(String name) {
        return text.containsKey(name) || tensors.containsKey(name);
    }

    public int integer(String name, int fallback) {
        String v = text.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(name, name + ": expected an integer, got '" + v + "'");
        }
    }

    /** The finite number {@code name}, or {@code fallback} when it is not given; NaN and infinities are refused. */
    public double real(String name, double fallback) {
        String v = text.get(name);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(name, name + ": expected a number, got '" + v + "'");
        }
        if (!Double.isFinite(d)) {
            throw new InvalidOptionException(name, name + ": expected a finite number, got '" + v + "'");
        }
        return d;
    }

    public boolean bool(String name, boolean fallback) {
        String v = text.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidOptionException(name, name + ": expected true or false, got '" + v + "'");
        };
    }

    public String string(String name, String fallback) {
        String v = text.get(name);
        return v == null ? fallback : v;
    }

    /** The constant written as {@link OptionInfo#parse} reads it. */
    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        String v = text.get(name);
        return v == null ? fallback : OptionInfo.parse(type, name, v);
    }

    public Tensor tensor(String name, Tensor fallback) {
        Tensor v = tensors.get(name);
        return v == null ? fallback : v;
    }
}
