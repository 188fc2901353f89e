package dev.fovea.model;

import dev.fovea.nn.Layer;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Network} of the own engine as a {@link Classifier}, in evaluation mode. Layer activations are read and
 * seeded through taps on the layers, so every layer of the state dict can be reached, inside residual blocks too.
 */
public final class EngineClassifier extends AbstractClassifier {
    private final Network net;
    private final Map<String, Layer> layers = new LinkedHashMap<>();

    /** {@code net} in chunks of {@code batchSize}, named in messages by its architecture ({@code model lenet5}). */
    public EngineClassifier(Network net, int batchSize) {
        this(net, batchSize, "model " + net.info().architecture().name());
    }

    /** {@code net} in chunks of {@code batchSize}, named {@code where} in messages (its file). */
    public EngineClassifier(Network net, int batchSize, String where) {
        super(batchSize, where);
        this.net = net;
        for (Map.Entry<String, Layer> e : net.namedLayers()) {
            layers.put(e.getKey(), e.getValue());
        }
    }

    public Network network() {
        return net;
    }

    @Override
    public Shape inputShape() {
        return net.inputShape();
    }

    @Override
    public List<String> classNames() {
        return net.info().classNames();
    }

    @Override
    public String backend() {
        return "engine";
    }

    @Override
    public ModelSetup setup() {
        return ModelSetup.of(net.info());
    }

    @Override
    public List<String> layers() {
        return new ArrayList<>(layers.keySet());
    }

    @Override
    protected Tensor logitsChunk(Tensor x) {
        // no backward pass follows: with the parameters frozen, convolution, batch norm and ReLU run folded
        return net.frozen(() -> net.forward(x, false));
    }

    @Override
    protected Gradient gradientChunk(Tensor x, Objective objective) {
        return net.frozen(() -> inputGradient(x, objective));
    }

    /** The gradient with respect to the input alone: the weights' gradients are neither needed nor touched. */
    private Gradient inputGradient(Tensor x, Objective objective) {
        if (objective.layer() == null) {
            Tensor logits = net.forward(x, false);
            Objective.Evaluation e = objective.evaluate(logits);
            return new Gradient(e.values(), net.backward(e.gradient()));
        }
        Layer l = layers.get(objective.layer());
        Tensor[] seen = new Tensor[1];
        Objective.Evaluation[] eval = new Objective.Evaluation[1];
        l.setTaps(y -> seen[0] = y, g -> {
            float[] out = g.data().clone();
            float[] s = eval[0].gradient().data();
            for (int i = 0; i < out.length; i++) {
                out[i] += s[i];
            }
            return new Tensor(g.shape(), out);
        });
        try {
            Tensor logits = net.forward(x, false);
            eval[0] = objective.evaluate(seen[0]);
            return new Gradient(eval[0].values(), net.backward(Tensor.zeros(logits.shape())));
        } finally {
            l.setTaps(null, null);
        }
    }

    /** Rule passes over the network's own layers ({@link dev.fovea.nn.RulePass}), parameters frozen. */
    @Override
    public java.util.Optional<RuleBackprop> ruleBackprop() {
        return java.util.Optional.of((x, seed, rule) -> net.frozen(() -> {
            net.checkInput(x);
            dev.fovea.nn.RulePass pass = net.rulePass(x);
            Tensor logits = pass.output().copy();
            Tensor signal = pass.backward(seed.apply(logits), rule);
            return new RuleBackprop.Result(logits, net.toPixels(signal.copy(), rule.relevance()));
        }));
    }

    /** The forward pass with the layer's output overwritten by the given activations before the layers after it read it. */
    @Override
    public java.util.Optional<ActivationReplacement> activationReplacement() {
        return java.util.Optional.of((x, layer, activations) -> {
            checkLayer(layer);
            net.checkInput(x);
            Layer l = layers.get(layer);
            l.setTaps(y -> {
                if (!y.shape().equals(activations.shape())) {
                    throw new IllegalArgumentException(where() + ": expected activations " + y.shape() + " for layer " + layer + ", got "
                            + activations.shape());
                }
                System.arraycopy(activations.data(), 0, y.data(), 0, y.size());
            }, null);
            try {
                return net.frozen(() -> net.forward(x, false));
            } finally {
                l.setTaps(null, null);
            }
        });
    }

    @Override
    protected Tensor activationsChunk(Tensor x, String layer) {
        Layer l = layers.get(layer);
        Tensor[] seen = new Tensor[1];
        l.setTaps(y -> seen[0] = y, null);
        try {
            net.forward(x, false);
            return seen[0].copy();
        } finally {
            l.setTaps(null, null);
        }
    }

    @Override
    protected LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective) {
        return net.frozen(() -> seededLayerGradient(x, layer, objective));
    }

    private LayerGradient seededLayerGradient(Tensor x, String layer, Objective objective) {
        Layer l = layers.get(layer);
        Tensor[] seen = new Tensor[2];
        l.setTaps(y -> seen[0] = y, g -> {
            seen[1] = g.copy();
            return g;
        });
        try {
            Tensor logits = net.forward(x, false);
            Objective.Evaluation e = objective.evaluate(logits);
            net.backward(e.gradient());
            return new LayerGradient(seen[0].copy(), seen[1], e.values());
        } finally {
            l.setTaps(null, null);
        }
    }
}
