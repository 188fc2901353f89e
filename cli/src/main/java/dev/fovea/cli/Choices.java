package dev.fovea.cli;

import dev.fovea.attacks.Norm;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Closed sets as picocli types: an enum option accepts its constants spelled as users write them ({@code linf},
 * {@code gauss-legendre}; case and {@code -}/{@code _} ignored), lists them in {@code --help} through
 * {@code ${COMPLETION-CANDIDATES}}, and a wrong value is one line naming the flag and every choice.
 */
final class Choices {
    private Choices() {
    }

    /** A value outside the set; its message follows the flag's name ({@code ": expected one of ..."}), which {@link Failures} puts before it. */
    static final class Wrong extends CommandLine.TypeConversionException {
        Wrong(String message) {
            super(message);
        }
    }

    /** The norm as {@link Norm#parse} reads it ({@code linf}, {@code l-inf}, {@code inf}, {@code l2}, {@code l0}). */
    static Norm norm(String value) {
        try {
            return Norm.parse(value);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new Wrong(m.startsWith("norm") ? m.substring("norm".length()) : m.startsWith("--norm") ? m.substring("--norm".length()) : ": " + m);
        }
    }

    /** The converter of enum {@code type}. */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> type) {
        return value -> {
            try {
                return OptionInfo.parse(type, "value", value);
            } catch (InvalidOptionException e) {
                throw new Wrong(e.getMessage().substring("value".length()));
            }
        };
    }

    /** Registers the converter of each type on {@code cl} and its subcommands. */
    @SafeVarargs
    static void register(CommandLine cl, Class<? extends Enum<?>>... types) {
        for (Class<? extends Enum<?>> t : types) {
            registerOne(cl, t);
        }
    }

    /** Registers the converters of fovea's closed sets on {@code cl} and its subcommands. */
    static void registerAll(CommandLine cl) {
        cl.registerConverter(Norm.class, Choices::norm);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void registerOne(CommandLine cl, Class t) {
        cl.registerConverter(t, converter(t));
    }

    /** The spellings of {@code type}'s constants, for {@code completionCandidates}. */
    abstract static class Of<E extends Enum<E>> implements Iterable<String> {
        private final Class<E> type;

        Of(Class<E> type) {
            this.type = type;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(type.getEnumConstants()).map(OptionInfo::spelling).iterator();
        }
    }
}
