package dev.fovea.cli;

import picocli.CommandLine;

/** Entry point of the {@code fovea} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 internal error, 2 usage, 3 unreadable input). */
    public static int run(String... args) {
        return Cli.commandLine().execute(args);
    }
}
