package dev.fovea.cli;

import dev.fovea.method.InvalidOptionException;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command-line spelling of the library's option names: {@code batchSize} is {@code --batch-size}, {@code target}
 * of an attack is {@code --targeted}. The library names its options; this class puts the flag the user typed in
 * their place, looking the flag up among the options of the command that ran.
 */
final class Flags {
    /** Library names whose flag is not the name in kebab case. */
    private static final Map<String, List<String>> ALIASES = Map.of(
            "target", List.of("--targeted"),
            "batch", List.of("--batch-size"),
            "baselineImage", List.of("--baseline-image"),
            "learningRate", List.of("--lr"));

    private Flags() {
    }

    /** {@code batchSize} as {@code --batch-size}. */
    static String kebab(String name) {
        return "--" + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The flag of library option {@code name} in {@code spec} (or its parents), or {@code null} when none has one. */
    static String flag(String name, CommandSpec spec) {
        List<String> candidates = new ArrayList<>();
        candidates.add(kebab(name));
        candidates.addAll(ALIASES.getOrDefault(name, List.of()));
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            for (String c : candidates) {
                if (s.findOption(c) != null) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The exception's message with its leading option name replaced by the flag of {@code spec} that sets it. */
    static String spoken(InvalidOptionException e, CommandSpec spec) {
        String msg = e.getMessage();
        String name = e.option();
        String flag = name == null ? null : flag(name, spec);
        if (flag == null || msg == null || !msg.startsWith(name)) {
            return msg;
        }
        return flag + msg.substring(name.length());
    }
}
