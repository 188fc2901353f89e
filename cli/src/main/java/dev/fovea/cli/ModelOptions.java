package dev.fovea.cli;

import dev.fovea.model.Classifier;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --model FILE} (required) and how to run it. */
public final class ModelOptions {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "Model: a .fovea file, or TorchScript (.pt, .ts, .zip) with a sidecar FILE.json or the flags below.")
    Path model;

    @Mixin
    ModelFlags flags;

    /** Opens the model; {@code batchSize} bounds the samples per forward pass. */
    Classifier open(int batchSize) throws IOException {
        return flags.open(model, batchSize);
    }
}
