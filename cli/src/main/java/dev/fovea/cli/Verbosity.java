package dev.fovea.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code -v}: stack traces on failure. {@code -q}: no progress output. */
public final class Verbosity {
    @Option(names = {"-v", "--verbose"}, description = "Print the stack trace when a command fails.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars or per-step lines.")
    boolean quiet;

    static boolean isVerbose(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
