package dev.fovea.model.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.model.AbstractClassifier;
import dev.fovea.model.ModelInfo;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.model.StateDict;
import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An own-engine network run on libtorch: the architecture of its {@code model.json} interpreted layer by layer
 * with libtorch operators, on the weights of its state dict, in evaluation mode. It gives the same logits and
 * gradients as the own engine (to float32 rounding) and lets a model trained by {@code fovea train} be audited on
 * a GPU. Every layer of the state dict is reachable: a layer's activations are read by name, and the gradient
 * there is taken through a zero-valued probe added to its output.
 */
public final class LibtorchNetwork extends AbstractClassifier {
    private final ModelInfo info;
    private final NDManager manager;
    private final Engine engine;
    private final Map<String, NDArray> weights = new HashMap<>();
    private final List<String> layerNames = new ArrayList<>();

    /** {@code net} on libtorch on {@code device}: the CPU, a CUDA GPU, or a GPU when there is one. */
    public LibtorchNetwork(Network net, dev.fovea.model.Device device, int batchSize) throws IOException {
        this(net, Libtorch.device(device), batchSize);
    }

    /** {@code net} on {@code device}, named in messages by its architecture ({@code model lenet5}). */
    public LibtorchNetwork(Network net, Device device, int batchSize) throws IOException {
        this(net, device, batchSize, "model " + net.info().architecture().name());
    }

    /** {@code net} on {@code device}, named {@code where} in messages (its file). */
    public LibtorchNetwork(Network net, Device device, int batchSize, String where) throws IOException {
        super(batchSize, where);
        this.info = net.info();
        this.engine = Libtorch.engine();
        this.manager = engine.newBaseManager(device);
        for (StateTensor t : StateDict.of(net.root()).values()) {
            if (t.floats() != null) {
                weights.put(t.name(), manager.create(t.floats(), new Shape(Nd.longs(t.shape().dims()))));
            }
        }
        for (Map.Entry<String, dev.fovea.nn.Layer> e : net.namedLayers()) {
            layerNames.add(e.getKey());
        }
    }

    @Override
    public dev.fovea.tensor.Shape inputShape() {
        return info.inputShape();
    }

    @Override
    public List<String> classNames() {
        return info.classNames();
    }

    @Override
    public dev.fovea.model.ModelSetup setup() {
        return dev.fovea.model.ModelSetup.of(info);
    }

    @Override
    public String backend() {
        return "libtorch";
    }

    @Override
    public List<String> layers() {
        return List.copyOf(layerNames);
    }

    /** What a forward pass reads and writes beside the data: one layer's output, and a probe added to it. */
    private static final class Tap {
        final String layer;
        final NDArray probe;
        NDArray seen;

        Tap(String layer, NDArray probe) {
            this.layer = layer;
            this.probe = probe;
        }
    }

    private boolean training;

    private NDArray forward(NDManager m, NDArray pixels, Tap tap) {
        return sequence(info.architecture().spec().path("layers"), "", Nd.normalize(m, pixels, info), tap);
    }

    private NDArray sequence(JsonNode layers, String prefix, NDArray x, Tap tap) {
        NDArray y = x;
        for (int i = 0; i < layers.size(); i++) {
            String name = prefix + i;
            y = layer(layers.get(i), name, y, tap);
            y = tapped(name, y, tap);
        }
        return y;
    }

    private static NDArray tapped(String name, NDArray y, Tap tap) {
        if (tap != null && tap.layer.equals(name)) {
            NDArray out = tap.probe == null ? y : y.add(tap.probe);
            tap.seen = out;
            return out;
        }
        return y;
    }

    private NDArray layer(JsonNode n, String name, NDArray x, Tap tap) {
        String type = n.get("type").asText();
        int k = n.path("kernel").asInt(n.path("kernel_size").asInt(0));
        int s = n.path("stride").asInt(type.endsWith("pool2d") ? k : 1);
        int p = n.path("padding").asInt(0);
        return switch (type) {
            case "conv2d" -> Conv2d.conv2d(x, w(name + ".weight"), weights.get(name + ".bias"), new Shape(s, s), new Shape(p, p),
                    new Shape(1, 1)).head();
            case "conv_transpose2d" -> Conv2dTranspose.conv2dTranspose(x, w(name + ".weight"), weights.get(name + ".bias"),
                    new Shape(s, s), new Shape(p, p), new Shape(0, 0), new Shape(1, 1)).head();
            case "linear" -> Linear.linear(x, w(name + ".weight"), weights.get(name + ".bias")).head();
            case "maxpool2d" -> Pool.maxPool2d(x, new Shape(k, k), new Shape(s, s), new Shape(p, p), false);
            case "avgpool2d" -> Pool.avgPool2d(x, new Shape(k, k), new Shape(s, s), new Shape(p, p), false, true);
            case "global_avgpool" -> x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
            case "batchnorm2d", "batchnorm1d" -> BatchNorm.batchNorm(x, w(name + ".running_mean"), w(name + ".running_var"),
                    w(name + ".weight"), w(name + ".bias"), 1, dev.fovea.nn.BatchNorm.MOMENTUM, dev.fovea.nn.BatchNorm.EPS, training).head();
            case "relu" -> Activation.relu(x);
            case "leaky_relu" -> Activation.leakyRelu(x, (float) n.path("slope").asDouble(0.01));
            case "sigmoid" -> Activation.sigmoid(x);
            case "tanh" -> Activation.tanh(x);
            case "softmax" -> x.softmax(1);
            case "dropout" -> x;
            case "flatten" -> x.reshape(x.getShape().get(0), -1);
            case "subsample_pad" -> {
                long pad = (n.path("out_channels").asLong() - x.getShape().get(1)) / 2;
                NDArray sub = s == 1 ? x : x.get(new NDIndex(":, :, ::{}, ::{}", s, s));
                yield sub.pad(new Shape(0, 0, 0, 0, pad, pad), 0);
            }
            case "residual" -> {
                NDArray a = tapped(name + ".body", sequence(n.path("body"), name + ".body.", x, tap), tap);
                NDArray b = n.has("shortcut") ? tapped(name + ".shortcut", sequence(n.path("shortcut"), name + ".shortcut.", x, tap), tap) : x;
                yield a.add(b);
            }
            default -> throw new IllegalStateException("layer " + name + ": type '" + type + "' has no libtorch form");
        };
    }

    private NDArray w(String key) {
        NDArray a = weights.get(key);
        if (a == null) {
            throw new IllegalStateException("libtorch: no tensor '" + key + "' in the state dict");
        }
        return a;
    }

    @Override
    protected Tensor logitsChunk(Tensor x) {
        try (NDManager m = manager.newSubManager()) {
            return Nd.tensor(forward(m, Nd.of(m, x), null));
        }
    }

    @Override
    protected Gradient gradientChunk(Tensor x, Objective objective) {
        try (NDManager m = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray in = Nd.of(m, x);
            in.setRequiresGradient(true);
            Tap tap = objective.layer() == null ? null : new Tap(objective.layer(), null);
            NDArray z = forward(m, in, tap);
            NDArray out = tap == null ? z : tap.seen;
            Objective.Evaluation e = objective.evaluate(Nd.tensor(out));
            gc.backward(Nd.seeded(m, out, e.gradient()));
            return new Gradient(e.values(), Nd.tensor(in.getGradient()));
        }
    }

    @Override
    protected Tensor activationsChunk(Tensor x, String layer) {
        try (NDManager m = manager.newSubManager()) {
            Tap tap = new Tap(layer, null);
            forward(m, Nd.of(m, x), tap);
            return Nd.tensor(tap.seen);
        }
    }

    @Override
    protected LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective) {
        Tensor act = activationsChunk(x, layer);
        try (NDManager m = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
            NDArray probe = m.zeros(new Shape(Nd.longs(act.shape().dims())));
            probe.setRequiresGradient(true);
            NDArray z = forward(m, Nd.of(m, x), new Tap(layer, probe));
            Objective.Evaluation e = objective.evaluate(Nd.tensor(z));
            gc.backward(Nd.seeded(m, z, e.gradient()));
            return new LayerGradient(act, Nd.tensor(probe.getGradient()), e.values());
        }
    }

    private Map<String, NDArray[]> adam;
    private long adamStep;

    /**
     * One training step on libtorch, for benchmarks: batch statistics in batch norm, softmax cross-entropy, the
     * gradients of all weights, and an Adam update ({@code betas 0.9, 0.999}). Returns the mean loss. Changes the
     * weights held here, not the network this was made from.
     */
    public double trainStep(Tensor x, int[] labels, float lr) {
        if (adam == null) {
            adam = new HashMap<>();
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                if (!e.getKey().contains("running_")) {
                    e.getValue().setRequiresGradient(true);
                    adam.put(e.getKey(), new NDArray[] {e.getValue().zerosLike(), e.getValue().zerosLike()});
                }
            }
        }
        double loss;
        try (NDManager m = manager.newSubManager()) {
            try (GradientCollector gc = engine.newGradientCollector()) {
                training = true;
                NDArray z = forward(m, Nd.of(m, x), null);
                float[] hot = new float[labels.length * info.classes()];
                for (int i = 0; i < labels.length; i++) {
                    hot[i * info.classes() + labels[i]] = 1f;
                }
                NDArray l = z.logSoftmax(1).mul(m.create(hot, z.getShape())).sum().neg().div(labels.length);
                gc.backward(l);
                loss = l.getFloat();
            } finally {
                training = false;
            }
            adamStep++;
            float bc1 = (float) (1 - Math.pow(0.9, adamStep));
            float bc2 = (float) (1 - Math.pow(0.999, adamStep));
            for (Map.Entry<String, NDArray[]> e : adam.entrySet()) {
                NDArray w = weights.get(e.getKey());
                NDArray g = w.getGradient();
                g.attach(m);
                NDArray[] mv = e.getValue();
                mv[0].muli(0.9f).addi(g.mul(0.1f));
                mv[1].muli(0.999f).addi(g.square().mul(0.001f));
                // Results live with their first operand: start each expression from an array of the step's manager.
                NDArray denom = mv[1].duplicate();
                denom.attach(m);
                NDArray step = g.zerosLike().add(mv[0]).div(denom.divi(bc2).sqrt().addi(1e-8f)).muli(lr / bc1);
                w.subi(step);
            }
        }
        return loss;
    }

    @Override
    public void close() {
        manager.close();
    }
}
