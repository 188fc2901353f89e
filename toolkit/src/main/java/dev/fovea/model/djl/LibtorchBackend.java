package dev.fovea.model.djl;

import dev.fovea.model.Backend;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.model.Sidecar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * libtorch through DJL: TorchScript files ({@code .pt}, {@code .pth}, {@code .ts}, or a {@code .zip} from
 * {@code torch.jit.save}) as {@link TorchScriptClassifier}s, their metadata from a {@link Sidecar}; and, when asked
 * for, {@code .fovea} files and networks in memory as {@link LibtorchNetwork}s. libtorch starts on the first open.
 */
public final class LibtorchBackend implements Backend {
    public static final String NAME = "libtorch";
    private static final Set<String> TORCHSCRIPT = Set.of(".pt", ".pth", ".ts", ".zip");
    private static final Set<String> OPENS = Set.of(".pt", ".pth", ".ts", ".zip", ModelFile.EXTENSION);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> formats() {
        return TORCHSCRIPT;
    }

    @Override
    public Set<String> opens() {
        return OPENS;
    }

    @Override
    public Classifier open(Path file, ModelLoader.Options options) throws IOException {
        if (ModelFile.isFovea(file)) {
            Network net = ModelFile.load(file);
            options.requireNoMetadata(file);
            return new LibtorchNetwork(net, Libtorch.device(options.device()), options.batchSize(), file.toString());
        }
        Sidecar.Metadata meta = Sidecar.metadata(file, options);
        return new TorchScriptClassifier(file, meta, meta.json().path("features_layer").asText("features"), Libtorch.device(options.device()), options.batchSize());
    }

    @Override
    public Classifier open(Network network, ModelLoader.Options options) throws IOException {
        return new LibtorchNetwork(network, options.device(), options.batchSize());
    }
}
