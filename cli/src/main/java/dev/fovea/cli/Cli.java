package dev.fovea.cli;

import dev.fovea.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The top-level {@code fovea} command: its subcommands, help, version and the mapping of failures to exit codes. */
@Command(name = "fovea", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "Audits convolutional neural networks: how easily they are fooled and what they look at.",
        subcommands = {TrainCommand.class, EvalCommand.class, InspectCommand.class, PredictCommand.class, AttackCommand.class, UniversalCommand.class, CertifyCommand.class, ExplainCommand.class, AugmentCommand.class, AuditCommand.class, BatchCommand.class, BenchCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class},
        footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 unreadable or incompatible input, 4 a release gate of fovea audit failed.",
                "Run 'fovea COMMAND --help' for a command's options."})
public final class Cli implements Runnable {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int INPUT = 3;
    /** {@code fovea audit --fail-under}: a gate failed (the report is written). */
    public static final int GATE = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line wired with fovea's error handling, writing to the standard streams. */
    public static CommandLine commandLine() {
        return commandLine(Terminal.out(), Terminal.err());
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionStrategy(OutputOptions::execute);
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler(new Failures());
        Choices.registerAll(cl);
        FiniteNumbers.registerAll(cl);
        return cl;
    }

    /** Characters an argument may hold to be typed without quotes. */
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile("[A-Za-z0-9_./=:,+@%^-]+");

    /**
     * The command line that ran {@code spec}'s command, as it could be typed again: {@code fovea} and the arguments as
     * given, each that holds anything but letters, digits and {@code _./=:,+@%^-} in single quotes for a POSIX shell
     * ({@code '} as {@code '\''}); {@code null} when the command was not parsed from arguments.
     */
    static String typed(CommandLine.Model.CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.root().commandLine().getParseResult();
        if (parsed == null) {
            return null;
        }
        StringBuilder line = new StringBuilder(spec.root().name());
        for (String a : parsed.originalArgs()) {
            line.append(' ').append(PLAIN.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** Prints the version with the Java runtime. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.describe()};
        }
    }
}
