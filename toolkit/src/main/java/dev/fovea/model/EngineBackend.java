package dev.fovea.model;

import dev.fovea.method.InvalidOptionException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** The own engine: runs {@code .fovea} files and networks in memory as {@link EngineClassifier}s, on the CPU. */
public final class EngineBackend implements Backend {
    public static final String NAME = "engine";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> formats() {
        return Set.of(ModelFile.EXTENSION);
    }

    @Override
    public Classifier open(Path file, ModelLoader.Options options) throws IOException {
        Network net = ModelFile.load(file);
        options.requireNoMetadata(file);
        requireCpu(options);
        return new EngineClassifier(net, options.batchSize(), file.toString());
    }

    @Override
    public Classifier open(Network network, ModelLoader.Options options) {
        requireCpu(options);
        return new EngineClassifier(network, options.batchSize());
    }

    private static void requireCpu(ModelLoader.Options options) {
        if (options.device() == Device.GPU) {
            throw new InvalidOptionException("device", "device gpu needs backend libtorch (the own engine runs on the CPU)", "backend");
        }
    }
}
