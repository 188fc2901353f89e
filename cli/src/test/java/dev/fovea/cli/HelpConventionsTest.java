package dev.fovea.cli;

import dev.fovea.attacks.Attacks;
import dev.fovea.explain.Explainers;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conventions people type and read by habit: {@code --no-...} for the booleans one turns off, choices listed in
 * {@code --help}, option labels that say what goes there (never picocli's {@code <fieldName>}), a command list whose
 * lines are whole sentences, and a "required" error that names what is missing.
 */
class HelpConventionsTest {
    /** The boolean options one may want to turn off: the method's default, or a choice of the training. */
    static final Set<String> NEGATABLE = Set.of("attack --random-start", "bench --steps", "train --nesterov");
    /** The boolean options that switch a mode on, whose {@code --no-} form would mean what leaving them out means. */
    static final Set<String> SWITCHES = Set.of("--list", "--force", "--diagnostics", "--resume", "--dry-run", "--fail-fast", "--loops", "--verbose",
            "--quiet", "--help", "--version");

    private static String help(String command) {
        CliRun r = CliRun.of((command.isEmpty() ? "--help" : command + " --help").split(" "));
        assertEquals(0, r.code(), r.toString());
        return r.out();
    }

    @Test
    void attackHelpListsEveryMethod() {
        String help = help("attack").replaceAll("\\s+", " ");
        assertTrue(help.contains("--method=METHOD Attack, one of " + String.join(", ", Attacks.names()) + " (default: pgd;"), help);
        String explain = help("explain").replaceAll("\\s+", " ");
        assertTrue(explain.contains("Attribution method, one of " + String.join(", ", Explainers.names())), explain);
        String sanity = help("explain sanity").replaceAll("\\s+", " ");
        assertTrue(sanity.contains(String.join(", ", Explainers.names())), sanity);
    }

    @Test
    void noOptionIsLabelledWithItsFieldName() {
        Pattern field = Pattern.compile("<[^>]*>");
        List<String> found = new ArrayList<>();
        List<String> commands = new ArrayList<>(SharedOptionsTest.commands().keySet());
        commands.add("");
        for (String c : commands) {
            String help = help(c);
            Matcher m = field.matcher(help);
            while (m.find()) {
                found.add((c.isEmpty() ? "fovea" : c) + ": " + m.group());
            }
        }
        assertEquals(List.of(), found);
        assertTrue(help("train").contains("--batch-size=N"), help("train"));
        assertTrue(help("attack").contains("--eps=EPS[,EPS...]"), help("attack"));
    }

    @Test
    void everyCommandListShowsWholeSentences() {
        Map<String, CommandSpec> all = SharedOptionsTest.commands();
        all.put("", Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).getCommandSpec());
        for (Map.Entry<String, CommandSpec> c : all.entrySet()) {
            if (c.getValue().subcommands().isEmpty()) {
                continue;
            }
            for (CommandLine sub : c.getValue().subcommands().values()) {
                // picocli lists a command by the first line of its header, else of its description
                String[] d = sub.getCommandSpec().usageMessage().header().length > 0 ? sub.getCommandSpec().usageMessage().header()
                        : sub.getCommandSpec().usageMessage().description();
                String first = d.length == 0 ? "" : d[0];
                String what = (c.getKey() + " " + sub.getCommandName()).strip() + ": '" + first + "'";
                assertTrue(first.matches("[A-Z].*[.?]"), "a sentence from its capital to its full stop: " + what);
                assertTrue(first.length() <= 120, "short: " + what);
                assertFalse(first.substring(0, first.length() - 1).matches(".*[.?] [A-Z].*"), "one sentence: " + what);
            }
        }
        String list = help("");
        assertTrue(list.replaceAll("\\s+", " ").contains("universal Fit one universal adversarial perturbation and measure how many held-out "
                + "predictions it changes. certify"), list);
    }

    @Test
    void theBooleansOneTurnsOffAreNegatable() {
        Set<String> negatable = new TreeSet<>();
        for (Map.Entry<String, CommandSpec> c : SharedOptionsTest.commands().entrySet()) {
            for (OptionSpec o : c.getValue().options()) {
                if (o.type() != boolean.class && o.type() != Boolean.class) {
                    continue;
                }
                String name = c.getKey() + " " + o.longestName();
                if (o.negatable()) {
                    negatable.add(name);
                } else {
                    assertTrue(SWITCHES.contains(o.longestName()), name + " is either negatable or a switch listed here");
                }
            }
        }
        assertEquals(NEGATABLE, negatable);
        assertTrue(help("attack").contains("--[no-]random-start"), help("attack"));
    }

    private static Object parsed(String... args) {
        CommandLine cl = Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult r = cl.parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().userObject();
    }

    @Test
    void negatedOptionsParse() {
        assertEquals(Boolean.FALSE, ((AttackCommand) parsed("attack", "--no-random-start")).randomStart);
        assertEquals(Boolean.TRUE, ((AttackCommand) parsed("attack", "--random-start")).randomStart);
        assertNull(((AttackCommand) parsed("attack")).randomStart, "not given: the method's default");
        assertFalse(((TrainCommand) parsed("train", "--no-nesterov", "--out", "m.fovea")).nesterov);
        assertTrue(((TrainCommand) parsed("train", "--nesterov", "--out", "m.fovea")).nesterov);
    }

    @Test
    void aRequiredErrorNamesWhatIsMissing() {
        String model = SharedOptionsTest.MODEL;
        String data = SharedOptionsTest.DATA;
        assertEquals("fovea attack: Missing required option: '--out=DIR' (or --list)", CliRun.of("attack", "-m", model, "--data", data).err().strip());
        assertEquals("fovea attack: Missing required options: '--model=FILE', '--out=DIR' (or --list)", CliRun.of("attack", "--data", data).err().strip());
        assertEquals("fovea explain: Missing required parameter: 'METHOD' (or --list)", CliRun.of("explain", "-m", model, "--data", data, "-o", "x").err().strip());
        assertEquals("fovea explain: Missing required option: one of '--data=SPEC' or '--image=FILE' (or --list)",
                CliRun.of("explain", "saliency", "-m", model, "-o", "x").err().strip());
        assertEquals("fovea explain: --data and --image exclude each other: give one of them",
                CliRun.of("explain", "saliency", "-m", model, "-o", "x", "--data", data, "--image", "x.png").err().strip());
        assertEquals("fovea batch: Missing required option: '--out=DIR' (or --list; --dry-run needs no --out)", CliRun.of("batch", "grid.yaml").err().strip());
        assertEquals("fovea train: --steps needs --adversarial (they set its attack)", CliRun.of("train", "--steps", "3", "-o", "m.fovea").err().strip());
        // picocli's own check of a required option names it too
        CliRun eval = CliRun.of("eval", "-m", model);
        assertEquals(Cli.USAGE, eval.code());
        assertEquals("fovea eval: Missing required option: '--data=SPEC'; try 'fovea eval --help' for the options", eval.err().strip());
    }
}
