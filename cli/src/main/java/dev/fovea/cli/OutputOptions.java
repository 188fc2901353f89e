package dev.fovea.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --out}/{@code -o DIR}: the folder a command writes its results to. As with {@link ModelOptions}, picocli
 * requires it ({@link Required}) except in commands that can run without it ({@link Optional}: {@code attack --list},
 * {@code explain --list}), which check it themselves. ({@code fovea train --out} names a model FILE, not this.)
 */
public abstract sealed class OutputOptions permits OutputOptions.Required, OutputOptions.Optional {
    static final String DESCRIPTION = "Folder for the results.";

    /** The folder, or {@code null} when an {@link Optional} one is not given. */
    abstract Path dir();

    /** The folder, created with its parents if need be. */
    Path create() throws IOException {
        return Files.createDirectories(dir());
    }

    /** {@code name} in the folder. */
    Path resolve(String name) {
        return dir().resolve(name);
    }

    /** {@code --out} that picocli requires. */
    public static final class Required extends OutputOptions {
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = DESCRIPTION)
        Path out;

        @Override
        Path dir() {
            return out;
        }
    }

    /** {@code --out} that the command checks itself: it may run without one. */
    public static final class Optional extends OutputOptions {
        @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = DESCRIPTION)
        Path out;

        @Override
        Path dir() {
            return out;
        }

        boolean given() {
            return out != null;
        }
    }
}
