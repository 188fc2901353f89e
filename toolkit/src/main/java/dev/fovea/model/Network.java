package dev.fovea.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Param;
import dev.fovea.nn.Sequential;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network of the own engine with its metadata. It takes pixels in {@code [0,1]} and normalises them inside,
 * so callers (training, attacks, attributions) always work in pixel units; {@link #backward} returns the gradient
 * with respect to those pixels, the normalisation's {@code 1/std} included.
 *
 * <p>A network holds the state of one forward pass for its backward pass: it is not shared between threads.
 */
public final class Network {
    private final Sequential root;
    private ModelInfo info;
    private final List<Layer> layers;

    public Network(Sequential root, ModelInfo info) {
        this.root = root;
        this.info = info;
        Shape out = root.outputShape(info.inputShape().withBatch(1));
        if (out.rank() != 2 || out.dim(1) != info.classes()) {
            throw new ShapeException("model: expected the network to output [N," + info.classes() + "] for "
                    + info.classes() + " classes, got " + out);
        }
        List<Layer> top = new ArrayList<>();
        for (Layer.Child c : root.children()) {
            top.add(c.layer());
        }
        this.layers = top;
    }

    /** A freshly initialised network: weights from {@code seed} by the architecture's initialisation. */
    public static Network create(Architecture arch, Shape inputShape, List<String> classNames, float[] mean, float[] std, long seed) {
        Sequential root = arch.build(inputShape, classNames.size(), seed);
        arch.init().apply(root, seed);
        ModelInfo info = new ModelInfo(ModelInfo.FORMAT_VERSION, arch, inputShape, mean, std, classNames,
                JsonNodeFactory.instance.objectNode());
        return new Network(root, info);
    }

    public Sequential root() {
        return root;
    }

    public ModelInfo info() {
        return info;
    }

    public void setInfo(ModelInfo info) {
        this.info = info;
    }

    public Shape inputShape() {
        return info.inputShape();
    }

    public int classes() {
        return info.classes();
    }

    /** Parameters in state-dict order. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        for (Map.Entry<String, Param> e : StateDict.params(root)) {
            out.add(e.getValue());
        }
        return out;
    }

    public long parameterCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.value().size();
        }
        return n;
    }

    /** Logits {@code [N,K]} for pixels {@code [N,C,H,W]}; remembers what {@link #backward} needs. */
    public Tensor forward(Tensor pixels, boolean training) {
        reuseBuffers(true);
        try {
            return root.forward(normalize(pixels), training);
        } finally {
            reuseBuffers(false);
        }
    }

    /**
     * Inner layers write into the same arrays pass after pass while this network runs them (nothing outside sees
     * those arrays but its taps); the logits and the pixel gradient it hands out are fresh arrays.
     */
    private void reuseBuffers(boolean on) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).setBufferReuse(on && i < layers.size() - 1, on && i > 0);
        }
    }

    /** Gradient with respect to the pixels of the last {@link #forward}, from a seed gradient on the logits. */
    public Tensor backward(Tensor gradLogits) {
        Tensor g;
        reuseBuffers(true);
        try {
            g = root.backward(gradLogits);
        } finally {
            reuseBuffers(false);
        }
        scaleByInverseStd(g);
        return g;
    }

    /**
     * A recorded forward pass over {@code pixels} (normalised inside), whose backward a {@link dev.fovea.nn.BackwardRule}
     * may change: see {@link dev.fovea.nn.RulePass}. {@link #toPixels} takes its input signal back to pixel units.
     */
    public dev.fovea.nn.RulePass rulePass(Tensor pixels) {
        return new dev.fovea.nn.RulePass(root, normalize(pixels));
    }

    /**
     * A signal at the normalised input in pixel units: a gradient times {@code 1/std} per channel (the chain rule),
     * in place; a relevance ({@code relevance}) as it is.
     */
    public Tensor toPixels(Tensor signal, boolean relevance) {
        if (!relevance) {
            scaleByInverseStd(signal);
        }
        return signal;
    }

    private void scaleByInverseStd(Tensor g) {
        float[] d = g.data();
        int c = g.dim(1);
        int hw = g.shape().sizeFrom(2);
        for (int n = 0; n < g.dim(0); n++) {
            for (int ch = 0; ch < c; ch++) {
                float inv = 1f / info.stdOf(ch);
                int o = (n * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    d[o + i] *= inv;
                }
            }
        }
    }

    /**
     * The parameters' gradients alone from a seed gradient on the logits, as in a training step: the gradient with
     * respect to the pixels is not wanted, so the first layer skips it.
     */
    public void backwardParams(Tensor gradLogits) {
        List<Layer.Child> children = root.children();
        Layer first = children.isEmpty() ? null : children.get(0).layer();
        if (first == null) {
            return;
        }
        boolean was = first.inputGradientNeeded();
        first.setInputGradientNeeded(false);
        reuseBuffers(true);
        try {
            root.backward(gradLogits);
        } finally {
            first.setInputGradientNeeded(was);
            reuseBuffers(false);
        }
    }

    /**
     * Evaluation-mode logits, computed in chunks of {@code batchSize} samples, with the parameters' gradients off
     * for the while (no backward pass follows), so that convolution, batch norm and ReLU run folded.
     */
    public Tensor logits(Tensor pixels, int batchSize) {
        return frozen(() -> chunkedLogits(pixels, batchSize));
    }

    /**
     * Runs {@code pass} with every parameter's gradient switched off, and restored after: for passes that need
     * no parameter gradient (evaluation, input gradients), which then also run folded where they can.
     */
    public <T> T frozen(java.util.function.Supplier<T> pass) {
        List<Param> ps = params();
        boolean[] was = new boolean[ps.size()];
        for (int i = 0; i < was.length; i++) {
            was[i] = ps.get(i).requiresGrad();
            ps.get(i).setRequiresGrad(false);
        }
        try {
            return pass.get();
        } finally {
            for (int i = 0; i < was.length; i++) {
                ps.get(i).setRequiresGrad(was[i]);
            }
        }
    }

    private Tensor chunkedLogits(Tensor pixels, int batchSize) {
        checkInput(pixels);
        int n = pixels.dim(0);
        int k = classes();
        float[] out = new float[n * k];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor y = forward(pixels.slice(from, to), false);
            System.arraycopy(y.data(), 0, out, from * k, (to - from) * k);
        }
        return Tensor.of(out, n, k);
    }

    public void zeroGrad() {
        for (Param p : params()) {
            p.zeroGrad();
        }
    }

    public void checkInput(Tensor pixels) {
        Shape want = info.inputShape();
        Shape got = pixels.shape();
        if (got.rank() != 4 || !got.tail().equals(want)) {
            throw new ShapeException("model: expected input [N," + want.dim(0) + "," + want.dim(1) + "," + want.dim(2) + "], got " + got);
        }
    }

    private Tensor normalize(Tensor pixels) {
        checkInput(pixels);
        float[] src = pixels.data();
        float[] dst = new float[src.length];
        int c = pixels.dim(1);
        int hw = pixels.shape().sizeFrom(2);
        for (int n = 0; n < pixels.dim(0); n++) {
            for (int ch = 0; ch < c; ch++) {
                float m = info.meanOf(ch);
                float inv = 1f / info.stdOf(ch);
                int o = (n * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    dst[o + i] = (src[o + i] - m) * inv;
                }
            }
        }
        return new Tensor(pixels.shape(), dst);
    }

    /** Layers in depth-first order with their state-dict names, the root excluded. */
    public List<Map.Entry<String, Layer>> namedLayers() {
        List<Map.Entry<String, Layer>> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Layer l, String prefix, List<Map.Entry<String, Layer>> out) {
        for (Layer.Child c : l.children()) {
            String name = prefix + c.name();
            out.add(Map.entry(name, c.layer()));
            walk(c.layer(), name + ".", out);
        }
    }
}
