package dev.fovea.cli;

import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionMessage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            "classNames", List.of("--classes"),
            "learningRate", List.of("--lr"));

    private Flags() {
    }

    /** {@code batchSize} as {@code --batch-size}. */
    static String kebab(String name) {
        return "--" + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> candidates(String name) {
        List<String> out = new ArrayList<>();
        out.add(kebab(name));
        out.addAll(ALIASES.getOrDefault(name, List.of()));
        return out;
    }

    /** The flag of library option {@code name} in {@code spec} (or its parents), or {@code null} when none has one. */
    static String flag(String name, CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            for (String c : candidates(name)) {
                if (s.findOption(c) != null) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The option of {@code spec} itself (not its parents) that sets library option {@code name}, or {@code null}. */
    static OptionSpec option(String name, CommandSpec spec) {
        for (String c : candidates(name)) {
            OptionSpec o = spec.findOption(c);
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    /**
     * The values of {@code spec}'s flags for the text-valued {@code options} of a method, by library name, as
     * {@code options(Map)} of a registry takes them: options without a flag here, or without a value, are left out
     * (the method's defaults apply). An enum-typed flag gives its constant as callers write it
     * ({@link OptionInfo#spelling}: {@code gauss-legendre}), which the method's option parser reads.
     */
    static Map<String, String> values(List<OptionInfo> options, CommandSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionInfo info : options) {
            OptionSpec o = info.type().equals("tensor") ? null : option(info.name(), spec);
            Object v = o == null ? null : o.getValue();
            if (v != null) {
                out.put(info.name(), v instanceof Enum<?> e ? OptionInfo.spelling(e) : String.valueOf(v));
            }
        }
        return out;
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
        if (name != null && msg.startsWith(name)
                && !(msg.length() > name.length() && Character.isLetterOrDigit(msg.charAt(name.length())))) {
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
