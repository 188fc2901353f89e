package dev.fovea.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What a command needs that picocli cannot require, since it runs without it in another mode ({@code attack --list}
 * needs no model): a usage error that names what is missing, as picocli's own message for a required option does
 * ({@code Missing required options: '--data=SPEC', '--out=DIR' (or --list)}), not every option the mode needs.
 *
 * <pre>{@code
 * Required.of(spec).need("--model", model.given()).need("--data", data != null).check("--list");
 * }</pre>
 */
final class Required {
    private final CommandSpec spec;
    private final List<String> missing = new ArrayList<>();
    private boolean options;
    private boolean parameters;

    private Required(CommandSpec spec) {
        this.spec = spec;
    }

    /** The needs of {@code spec}'s command. */
    static Required of(CommandSpec spec) {
        return new Required(spec);
    }

    /** Needs {@code name} (an option, or a positional parameter's label), which is missing unless {@code given}. */
    Required need(String name, boolean given) {
        if (!given) {
            ArgSpec a = arg(name);
            missing.add("'" + describe(a, name) + "'");
            options |= !(a instanceof PositionalParamSpec);
            parameters |= a instanceof PositionalParamSpec;
        }
        return this;
    }

    /** Needs one of {@code first} and {@code second}: exactly one when {@code given} counts how many were given. */
    Required needOne(String first, String second, int given) {
        if (given > 1) {
            throw new UsageException(first + " and " + second + " exclude each other: give one of them");
        }
        if (given == 0) {
            missing.add("one of '" + describe(arg(first), first) + "' or '" + describe(arg(second), second) + "'");
            options = true;
        }
        return this;
    }

    /** Throws the usage error naming what is missing, if anything is; {@code otherwise} says what runs without it ({@code null}: nothing). */
    void check(String otherwise) {
        if (missing.isEmpty()) {
            return;
        }
        String what = options && parameters ? "options and parameters" : parameters ? "parameter" : "option";
        if (missing.size() > 1 && !(options && parameters)) {
            what += "s";
        }
        throw new UsageException("Missing required " + what + ": " + String.join(", ", missing) + (otherwise == null ? "" : " (or " + otherwise + ")"));
    }

    private ArgSpec arg(String name) {
        OptionSpec o = spec.findOption(name);
        if (o != null) {
            return o;
        }
        return spec.positionalParameters().stream().filter(p -> p.paramLabel().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(spec.qualifiedName() + " has no option or parameter " + name));
    }

    /** {@code --data=SPEC} as picocli's messages write an option, a parameter by its label. */
    private static String describe(ArgSpec a, String name) {
        return a instanceof OptionSpec o ? o.longestName() + "=" + o.paramLabel() : name;
    }
}
