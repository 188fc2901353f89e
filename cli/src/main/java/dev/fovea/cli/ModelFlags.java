package dev.fovea.cli;

import dev.fovea.model.Backend;
import dev.fovea.model.Classifier;
import dev.fovea.model.Device;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Shape;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** How to run a model: backend, device, and metadata for TorchScript models. */
public final class ModelFlags {
    @Option(names = "--backend", paramLabel = "NAME", converter = BackendConverter.class, completionCandidates = BackendNames.class,
            description = {"What runs a .fovea model: the own engine (default) or libtorch. TorchScript always runs on libtorch.",
                    "Backends here: ${COMPLETION-CANDIDATES}."})
    Backend backend;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE", completionCandidates = Choices.Devices.class,
            description = "Device for libtorch: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Device device;

    @Option(names = "--input-shape", paramLabel = "C,H,W", description = "TorchScript: per-sample input shape.")
    String inputShape;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "TorchScript: per-channel normalisation mean.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "TorchScript: per-channel normalisation std.")
    float[] std;

    @Option(names = "--classes", paramLabel = "FILE", description = "TorchScript: class names, one per line.")
    Path classes;

    /** The loader's options for these flags; {@code batchSize} bounds the samples per forward pass. */
    ModelLoader.Options options(int batchSize) throws IOException {
        Shape shape;
        try {
            shape = inputShape == null ? null : Shape.parse(inputShape);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (shape != null && shape.rank() != 3) {
            throw new UsageException("--input-shape must be C,H,W, got " + inputShape);
        }
        return ModelLoader.Options.defaults().withBackend(backend).withDevice(device).withBatchSize(batchSize)
                .withMetadata(shape, mean, std, classes == null ? null : ModelLoader.readClasses(classes));
    }

    /** Refuses the TorchScript metadata flags for {@code model}, a file whose format carries its own metadata. */
    void requireNoMetadata(Path model) {
        if (inputShape != null || mean != null || std != null || classes != null) {
            throw new UsageException("--input-shape, --mean, --std and --classes describe TorchScript models; " + model + " carries its own metadata");
        }
    }

    /**
     * Refuses {@code --backend} and {@code --device} in a command that runs no model on them; {@code why} ends the
     * message ({@code "--backend and --device do not apply: " + why}).
     */
    void requireNoRunner(String why) {
        if (backend != null || device != Device.CPU) {
            throw new UsageException("--backend and --device do not apply: " + why);
        }
    }

    /** Opens {@code model}; {@code batchSize} bounds the samples per forward pass. */
    Classifier open(Path model, int batchSize) throws IOException {
        return ModelLoader.open(model, options(batchSize));
    }

    /** A backend by name, among those on the class path. */
    static final class BackendConverter implements CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            for (Backend b : ModelLoader.backends()) {
                if (b.name().equalsIgnoreCase(value)) {
                    return b;
                }
            }
            throw new Choices.Wrong(": expected one of " + String.join(", ", names()) + ", got '" + value + "'");
        }
    }

    /** The names of the backends on the class path, for the help and for completion. */
    static final class BackendNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }
    }

    private static java.util.List<String> names() {
        return ModelLoader.backends().stream().map(Backend::name).toList();
    }
}
