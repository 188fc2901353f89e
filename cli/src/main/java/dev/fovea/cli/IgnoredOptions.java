package dev.fovea.cli;

import dev.fovea.method.OptionMessage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Options typed on the command line that the method asked for will not read ({@code --window} for saliency,
 * {@code --baseline-image} without {@code --baseline image}, {@code --steps} for jsma) are not an error, since a
 * script may pass one set of flags to several methods, but they are not silent either: one line on stderr,
 * {@code fovea explain: warning: ignored --window, --stride (not an option of saliency)}, and the command goes on.
 */
final class IgnoredOptions {
    private IgnoredOptions() {
    }

    /** Of the library option {@code names}, those whose flag in {@code spec} was typed on the command line. */
    static Set<String> given(CommandSpec spec, Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            OptionSpec o = Flags.option(name, spec);
            if (o != null && spec.commandLine().getParseResult().hasMatchedOption(o)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Prints the warning about {@code unused} (library option name to the reason, in library words) as one line on
     * {@code spec}'s stderr, flags grouped by reason; nothing when it is empty. Option names in a reason
     * ({@code baseline}) become the flags that set them.
     */
    static void warn(CommandSpec spec, Map<String, String> unused, Collection<String> names) {
        if (unused.isEmpty()) {
            return;
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : unused.entrySet()) {
            String flag = Flags.flag(e.getKey(), spec);
            byReason.computeIfAbsent(spoken(e.getValue(), names, spec), r -> new ArrayList<>()).add(flag != null ? flag : e.getKey());
        }
        List<String> parts = new ArrayList<>();
        byReason.forEach((reason, flags) -> parts.add(String.join(", ", flags) + " (" + reason + ")"));
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": warning: ignored " + String.join("; ", parts));
        err.flush();
    }

    /** {@code reason} with each of the option {@code names} it mentions, as a whole word, replaced by its flag. */
    private static String spoken(String reason, Collection<String> names, CommandSpec spec) {
        List<String> mentioned = new ArrayList<>();
        Map<String, Integer> at = new LinkedHashMap<>();
        for (String n : names) {
            Matcher m = Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])").matcher(reason);
            if (m.find()) {
                at.put(n, m.start());
            }
        }
        at.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getValue)).forEach(e -> mentioned.add(e.getKey()));
        return Flags.spoken(new OptionMessage() {
            @Override
            public String option() {
                return null;
            }

            @Override
            public List<String> mentioned() {
                return mentioned;
            }

            @Override
            public String getMessage() {
                return reason;
            }
        }, spec);
    }
}
