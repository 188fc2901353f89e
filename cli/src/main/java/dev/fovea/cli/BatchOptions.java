package dev.fovea.cli;

import dev.fovea.model.ModelLoader;
import picocli.CommandLine.Option;

/**
 * {@code --batch-size N}: samples per model call when a command runs a model for inference, bounding memory. Results
 * do not depend on it (attack, explain and eval outputs are bit-identical across batch sizes), so every command has
 * the one default, the model loader's. ({@code fovea train --batch-size} is the training minibatch and
 * {@code fovea bench --batch-size} the timed batch: other meanings, their own options.)
 */
public final class BatchOptions {
    static final int DEFAULT = ModelLoader.Options.DEFAULT_BATCH_SIZE;

    @Option(names = "--batch-size", defaultValue = "" + DEFAULT, paramLabel = "N",
            description = "Samples per model call, bounding memory; results do not depend on it (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /** The batch size, checked to be at least 1. */
    int size() {
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        return batchSize;
    }
}
