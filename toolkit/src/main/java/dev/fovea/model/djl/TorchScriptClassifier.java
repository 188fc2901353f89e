package dev.fovea.model.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.fovea.io.ModelFormatException;
import dev.fovea.model.AbstractClassifier;
import dev.fovea.model.ModelInfo;
import dev.fovea.model.ModelOutputException;
import dev.fovea.model.ModelSetup;
import dev.fovea.model.Sidecar;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript classifier ({@code torch.jit.save} output) on libtorch, in evaluation mode with gradients.
 * The module's {@code forward} takes a normalised batch {@code [N,C,H,W]} and returns logits {@code [N,K]};
 * normalisation and class names come from the sidecar metadata or the options ({@link Sidecar}); a model nothing
 * names the classes of gets {@code 0..K-1}, K from its output, and its {@link #setup()} says what was assumed.
 *
 * <p>Layers: TorchScript hides a module's inner tensors, so one layer is reachable, by convention: a module that
 * exports {@code features(x)} (activations of a layer, typically the last convolutional stage) and
 * {@code head(a)} (logits from those activations, so that {@code head(features(x)) == forward(x)}) offers that
 * layer under the sidecar's {@code features_layer} name (default {@code features}). Without them the model has no
 * layers, and methods that need one say so.
 */
public final class TorchScriptClassifier extends AbstractClassifier {
    private final Model model;
    private final PtSymbolBlock block;
    private final Engine engine;
    /** The metadata it runs with; provisional (a single placeholder class) until the probe has counted the classes. */
    private ModelInfo info;
    private final ModelSetup setup;
    private final String featuresLayer;

    /** A model whose metadata {@code info} was given in full (by the options); its {@link #setup()} says so. */
    public TorchScriptClassifier(Path file, ModelInfo info, String featuresLayer, Device device, int batchSize) throws IOException {
        this(file, info, null, featuresLayer, device, batchSize);
    }

    /**
     * A model described by a sidecar and options, {@code meta}: where they name no classes, the model's output on
     * one probe decides how many, numbered {@code 0..K-1}.
     */
    public TorchScriptClassifier(Path file, Sidecar.Metadata meta, String featuresLayer, Device device, int batchSize) throws IOException {
        this(file, meta.info(1), meta, featuresLayer, device, batchSize);
    }

    private TorchScriptClassifier(Path file, ModelInfo provisional, Sidecar.Metadata meta, String featuresLayer, Device device, int batchSize)
            throws IOException {
        super(batchSize, file.toString());
        this.info = provisional;
        this.engine = Libtorch.engine();
        Model m = Model.newInstance(file.getFileName().toString(), device, "PyTorch");
        try {
            m.load(file.toAbsolutePath(), null, Map.of("trainParam", "true"));
        } catch (MalformedModelException | RuntimeException e) {
            m.close();
            throw new ModelFormatException(where() + ": not a TorchScript model (" + firstLine(e.getMessage()) + ")");
        }
        this.model = m;
        this.block = (PtSymbolBlock) m.getBlock();
        JniUtils.enableInferenceMode(block);
        Tensor probe = Tensor.zeros(info.inputShape().withBatch(1));
        try {
            Tensor z = logitsChunk(probe);
            Shape out = z.shape();
            if (meta != null && !meta.named()) {
                if (out.rank() != 2 || out.dim(1) < 1) {
                    throw new ModelFormatException(where() + ": expected the model to output logits [1,K] for an input " + probe.shape() + ", got "
                            + out);
                }
                this.info = meta.info(out.dim(1));
            }
            if (out.rank() != 2 || out.dim(1) != info.classes()) {
                throw new ModelFormatException(where() + ": the metadata names " + info.classes() + " classes and input " + info.inputShape()
                        + ", but the model outputs " + out + " for it");
            }
            checkLogits(z, 0, 1);
        } catch (ModelFormatException | ModelOutputException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new ModelFormatException(where() + ": forward fails on an input " + probe.shape() + " (" + firstLine(e.getMessage()) + ")");
        }
        ModelSetup.Source given = ModelSetup.Source.OPTIONS;
        this.setup = meta != null ? meta.setup(info) : ModelSetup.of(info, given, given, given, given);
        this.featuresLayer = featuresLayer != null && hasFeatures(probe) ? featuresLayer : null;
    }

    private boolean hasFeatures(Tensor probe) {
        Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray a = Libtorch.run(block, "features", Nd.normalize(m, Nd.of(m, probe), info), m);
            NDArray z = Libtorch.run(block, "head", a, m);
            return z.getShape().dimension() == 2;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public ModelInfo info() {
        return info;
    }

    @Override
    public ModelSetup setup() {
        return setup;
    }

    @Override
    public Shape inputShape() {
        return info.inputShape();
    }

    @Override
    public List<String> classNames() {
        return info.classNames();
    }

    @Override
    public String backend() {
        return "libtorch";
    }

    @Override
    public List<String> layers() {
        return featuresLayer == null ? List.of() : List.of(featuresLayer);
    }

    @Override
    protected void checkLayer(String layer) {
        if (layer != null && featuresLayer == null) {
            throw new IllegalArgumentException(where() + ": this TorchScript model exposes no layers (export features(x) and head(a)"
                    + " methods to reach one); asked for '" + layer + "'");
        }
        super.checkLayer(layer);
    }

    @Override
    protected Tensor logitsChunk(Tensor x) {
        Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = IValueUtils.forward(block, new NDList(Nd.normalize(m, Nd.of(m, x), info)), false);
            return output(out.head(), "logits");
        }
    }

    @Override
    protected Gradient gradientChunk(Tensor x, Objective objective) {
        Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray in = Nd.of(m, x);
            in.setRequiresGradient(true);
            NDArray norm = Nd.normalize(m, in, info);
            NDArray out = objective.layer() == null ? IValueUtils.forward(block, new NDList(norm), true).head()
                    : Libtorch.run(block, "features", norm, m);
            String what = objective.layer() == null ? "logits" : "activations of layer " + objective.layer();
            Objective.Evaluation e = objective.evaluate(output(out, what));
            backward(gc, Nd.seeded(m, out, e.gradient()), what);
            return new Gradient(e.values(), Nd.tensor(in.getGradient()));
        }
    }

    /** The module's {@code head} on the given activations of its features layer (the input is not read). */
    @Override
    public java.util.Optional<dev.fovea.model.ActivationReplacement> activationReplacement() {
        if (featuresLayer == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of((x, layer, activations) -> {
            checkLayer(layer);
            Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager()) {
                Tensor z = output(Libtorch.run(block, "head", Nd.of(m, activations), m), "logits");
                return checkLogits(z, 0, activations.dim(0));
            }
        });
    }

    @Override
    protected Tensor activationsChunk(Tensor x, String layer) {
        Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager()) {
            return output(Libtorch.run(block, "features", Nd.normalize(m, Nd.of(m, x), info), m), "activations of layer " + layer);
        }
    }

    @Override
    protected LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective) {
        Tensor act = activationsChunk(x, layer);
        Libtorch.plainExecutor();
        try (NDManager m = model.getNDManager().newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray a = Nd.of(m, act);
            a.setRequiresGradient(true);
            NDArray z = Libtorch.run(block, "head", a, m);
            Objective.Evaluation e = objective.evaluate(output(z, "logits"));
            backward(gc, Nd.seeded(m, z, e.gradient()), "logits");
            return new LayerGradient(act, Nd.tensor(a.getGradient()), e.values());
        }
    }

    /**
     * A module's output as a tensor, once it is known to be floating point; the shape and values are checked by the
     * caller ({@link AbstractClassifier}).
     */
    private Tensor output(NDArray a, String what) {
        requireFloatingPoint(what, a.getDataType().isFloating(), a.getDataType().toString());
        return Nd.tensor(a);
    }

    /**
     * The backward pass from {@code scalar}, computed from the module's output {@code what}. An output with no
     * gradient to the input (detached, or computed through argmax or a cast) is known only here: libtorch refuses
     * the pass, and DJL reads neither {@code requires_grad} nor the gradient function of a method's output
     * reliably.
     */
    private void backward(GradientCollector gc, NDArray scalar, String what) {
        try {
            gc.backward(scalar);
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
            requireDifferentiable(what, false);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }
}
