package dev.fovea.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A backend for {@code .fake} files (a {@code .fovea} archive under another name), registered for the
 * {@link java.util.ServiceLoader} in {@code backends/fake/META-INF/services}, which {@link ModelLoaderTest} puts on
 * the class path; it records what it opened.
 */
public final class FakeBackend implements Backend {
    static final List<Path> OPENED = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Set<String> formats() {
        return Set.of(".fake");
    }

    @Override
    public Classifier open(Path file, ModelLoader.Options options) throws IOException {
        OPENED.add(file);
        return new EngineClassifier(ModelFile.load(file), options.batchSize());
    }
}
