package dev.fovea.cli;

import dev.fovea.model.Classifier;
import dev.fovea.model.djl.Libtorch;
import dev.fovea.model.djl.ModelLoader;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** How to run a model: backend, device, and metadata for TorchScript models. */
public final class ModelFlags {
    @Option(names = "--backend", paramLabel = "engine|libtorch",
            description = "What runs a .fovea model: the own engine (default) or libtorch. TorchScript always runs on libtorch.")
    ModelLoader.Backend backend;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|auto",
            description = "Device for libtorch (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--input-shape", paramLabel = "C,H,W", description = "TorchScript: per-sample input shape.")
    String inputShape;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "TorchScript: per-channel normalisation mean.")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "TorchScript: per-channel normalisation std.")
    float[] std;

    @Option(names = "--classes", paramLabel = "FILE", description = "TorchScript: class names, one per line.")
    Path classes;

    /** Opens {@code model}; {@code batchSize} bounds the samples per forward pass. */
    Classifier open(Path model, int batchSize) throws IOException {
        Libtorch.DeviceChoice d;
        Shape shape;
        try {
            d = Libtorch.parse(device);
            shape = inputShape == null ? null : Shape.parse(inputShape);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (shape != null && shape.rank() != 3) {
            throw new UsageException("--input-shape must be C,H,W, got " + inputShape);
        }
        var opts = new ModelLoader.Options(backend, d, batchSize, shape, mean, std, classes == null ? null : ModelLoader.readClasses(classes));
        try {
            return ModelLoader.open(model, opts);
        } catch (IllegalArgumentException e) {
            if (e instanceof dev.fovea.tensor.ShapeException) {
                throw e;
            }
            throw new UsageException(e.getMessage());
        }
    }
}
