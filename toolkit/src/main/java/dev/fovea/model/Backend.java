package dev.fovea.model;

import dev.fovea.method.InvalidOptionException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * What runs a model: the own engine, libtorch, or any other implementation registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.fovea.model.Backend}. {@link ModelLoader} finds the
 * backends and makes the choice between them from the file's extension and the options: a backend only says which
 * files it opens and opens them.
 *
 * <p>A backend has its own formats, which it runs when no backend is asked for (the engine {@code .fovea},
 * libtorch TorchScript), and may run other backends' formats when asked for by name (libtorch runs {@code .fovea}
 * networks). Implementations have a public no-argument constructor that does no work (a native library is started
 * on the first {@code open}).
 */
public interface Backend {
    /** The name it is asked for by, lower case: {@code engine}, {@code libtorch}. */
    String name();

    /**
     * Extensions, lower case with the dot ({@code .fovea}), of the files it runs when no backend is asked for: its
     * own formats.
     */
    Set<String> formats();

    /** Extensions of all the files it opens when asked for by name; its {@link #formats()} and maybe others'. */
    default Set<String> opens() {
        return formats();
    }

    /**
     * Opens a model file whose extension is one of {@link #opens()}; the loader has checked that the file exists.
     *
     * @throws IOException the file cannot be read or used by this backend, or the device is not there
     * @throws InvalidOptionException an option this backend cannot take for this file
     */
    Classifier open(Path file, ModelLoader.Options options) throws IOException;

    /**
     * Runs a network of the own engine built or changed in memory (a {@code .fovea} model before it is saved). A
     * backend that opens {@code .fovea} files runs networks; others throw.
     */
    default Classifier open(Network network, ModelLoader.Options options) throws IOException {
        throw new InvalidOptionException("backend", "backend " + name() + " runs no networks of the own engine");
    }
}
