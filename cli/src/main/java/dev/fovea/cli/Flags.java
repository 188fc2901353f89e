package dev.fovea.cli;

import dev.fovea.method.OptionMessage;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            "classNames", List.of("--classes"));

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

    /**
     * The message with its leading option name, and then each option it mentions (the first whole-word occurrence
     * after the one before), replaced by the flag of {@code spec} that sets it; names without a flag stay.
     */
    static String spoken(OptionMessage e, CommandSpec spec) {
        String msg = e.getMessage();
        if (msg == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        String name = e.option();
        if (name != null && msg.startsWith(name)) {
            String flag = flag(name, spec);
            out.append(flag != null ? flag : name);
            from = name.length();
        }
        for (String m : e.mentioned()) {
            Matcher at = Pattern.compile("(?<![\\w-])" + Pattern.quote(m) + "(?![\\w-])").matcher(msg);
            if (!at.find(from)) {
                continue;
            }
            String flag = flag(m, spec);
            out.append(msg, from, at.start()).append(flag != null ? flag : m);
            from = at.end();
        }
        return out.append(msg.substring(from)).toString();
    }
}
