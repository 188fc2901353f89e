package dev.fovea.method;

import java.util.List;

/**
 * One option of a method, as a registry describes it: its library name in camel case ({@code stepSize}), the type
 * of its values ({@code int}, {@code long}, {@code double}, {@code boolean}, {@code string} or {@code enum}, all
 * given as text; or {@code tensor}, given as a tensor, which a front end reads from a file), its default as text
 * ({@code null} when the method derives it, say from {@code eps}), one line of meaning, and for enums the values in
 * the form callers write them ({@code gauss-legendre}). {@link OptionValues} reads given values against these.
 */
public record OptionInfo(String name, String type, String defaultValue, String description, List<String> choices) {
    public OptionInfo {
        if (name == null || name.isBlank() || type == null || description == null) {
            throw new IllegalArgumentException("option: name, type and description are required");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static OptionInfo of(String name, String type, Object defaultValue, String description) {
        return new OptionInfo(name, type, defaultValue == null ? null : String.valueOf(defaultValue), description, List.of());
    }

    /** An enum option; its choices are the constants in lower case with {@code -} for {@code _}. */
    public static <E extends Enum<E>> OptionInfo choice(String name, Class<E> type, E defaultValue, String description) {
        List<String> values = java.util.Arrays.stream(type.getEnumConstants()).map(OptionInfo::spelling).toList();
        return new OptionInfo(name, "enum", defaultValue == null ? null : spelling(defaultValue), description, values);
    }

    /** How callers write an enum constant: {@code GAUSS_LEGENDRE} as {@code gauss-legendre}. */
    public static String spelling(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} written {@code value} (case and {@code -}/{@code _} ignored), else an {@link InvalidOptionException} naming {@code option}. */
    public static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        String v = value == null ? "" : value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        List<String> ok = java.util.Arrays.stream(type.getEnumConstants()).map(OptionInfo::spelling).toList();
        throw new InvalidOptionException(option, option + ": expected one of " + String.join(", ", ok) + ", got '" + value + "'");
    }
}
