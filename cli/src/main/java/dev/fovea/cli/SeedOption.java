package dev.fovea.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed of every random choice of a command (default 0, the library's). ({@code fovea train
 * --seed} defaults to 42, the seed the bundled models were trained with, and keeps its own option.)
 */
public final class SeedOption {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
}
