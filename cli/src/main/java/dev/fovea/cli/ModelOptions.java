package dev.fovea.cli;

import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** {@code --model FILE}: a model to load. */
public final class ModelOptions {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Model file (.fovea).")
    Path model;

    Network load() throws IOException {
        return ModelFile.load(model);
    }
}
