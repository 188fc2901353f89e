package dev.fovea.cli;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code -O/--option NAME=VALUE}, repeatable: the chosen method's own options by their library names, as its
 * registry describes them ({@code --list}), for any method, including one registered at run time. A command hands
 * {@link #values()} to the registry's {@code options(Map)} inside {@link #apply}, which turns a refusal of one of
 * these values into one usage line naming {@code --option} and the option.
 */
public final class MethodOptions {
    @Option(names = {"-O", "--option"}, paramLabel = "NAME=VALUE",
            description = "An option of the method's own, by its name (repeatable); --list shows each method's options and defaults.")
    Map<String, String> values;

    /** The values given, by library name, in the order given. */
    Map<String, String> values() {
        return values == null ? Map.of() : values;
    }

    /** The values given less those of {@code options} of type {@code tensor} (files, read by the command). */
    Map<String, String> text(List<OptionInfo> options) {
        Map<String, String> out = new LinkedHashMap<>(values());
        options.stream().filter(o -> o.type().equals("tensor")).forEach(o -> out.remove(o.name()));
        return out;
    }

    /**
     * What {@code parse} builds from these values; an {@link InvalidOptionException} about an option given here
     * becomes a {@link UsageException} that says {@code --option} and the library's message
     * ({@code --option kappa must be >= 0, got -1.0}); one about another option passes as it is.
     */
    <T> T apply(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidOptionException e) {
            if (values().containsKey(e.option())) {
                throw new UsageException("--option " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * The line {@code --list} prints under a method: {@code "    options: searchSteps=9 kappa=0.0"}, an option whose
     * default the method derives by its name alone; {@code null} for a method without options.
     */
    static String listed(List<OptionInfo> options) {
        if (options.isEmpty()) {
            return null;
        }
        return "    options: " + options.stream().map(o -> o.defaultValue() == null ? o.name() : o.name() + "=" + o.defaultValue())
                .collect(Collectors.joining(" "));
    }
}
