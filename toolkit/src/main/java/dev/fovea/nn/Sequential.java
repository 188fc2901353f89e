package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied one after the other; children are named {@code 0, 1, ...} as in PyTorch's {@code nn.Sequential}. */
public final class Sequential extends Layer {
    private final List<Layer> layers;
    /** Per layer, the length of the folded run the last forward pass started there (0: none). */
    private int[] folded;
    /** Per layer, its input shape in the last forward pass while a {@link LayerProfile} ran (else null). */
    private Shape[] profiled;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String type() {
        return "sequential";
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forward(x, training, null, false, null);
    }

    /**
     * In evaluation, whether this sequence ends in a convolution and batch norm that run folded into one pass with no
     * ReLU after them, neither tapped nor this sequence: then {@link #forwardAdding} can add a residual in that pass.
     */
    boolean endsFolded(boolean training) {
        if (training || tapped() || layers.size() < 2) {
            return false;
        }
        int i = 0;
        int last = 0;
        int run = 0;
        while (i < layers.size()) {
            run = layers.get(i) instanceof Residual ? residualRun(i) : foldableRun(i);
            last = i;
            i += Math.max(run, 1);
        }
        return run == 2 && !(layers.get(last) instanceof Residual) && last == layers.size() - 2;
    }

    /**
     * The evaluation pass with {@code residual} (of the output's shape) added in the last folded pass, then the ReLU
     * when {@code relu}, into {@code out}: {@code relu(this(x) + residual)}. Only where {@link #endsFolded} holds.
     */
    Tensor forwardAdding(Tensor x, Tensor residual, boolean relu, float[] out) {
        return forward(x, false, residual, relu, out);
    }

    private Tensor forward(Tensor x, boolean training, Tensor residual, boolean addRelu, float[] addOut) {
        if (folded == null || folded.length != layers.size()) {
            folded = new int[layers.size()];
        }
        java.util.Arrays.fill(folded, 0);
        LayerProfile profile = LayerProfile.current();
        profiled = profile == null ? null : new Shape[layers.size()];
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int run = l instanceof Residual ? residualRun(i) : training ? 0 : foldableRun(i);
            long t0 = profile == null ? 0 : System.nanoTime();
            Shape in = y.shape();
            if (run > 0 && l instanceof Residual r) {
                y = r.tapForward(r.forward(y, training, (Activation.ReLU) layers.get(i + 1)));
                folded[i] = run;
            } else if (run > 0 && residual != null && i + run == layers.size()) {
                y = ((Conv2d) l).forwardFoldedAdding(y, (BatchNorm) layers.get(i + 1), residual, addRelu, addOut);
                folded[i] = run;
                residual = null;
            } else if (run > 0) {
                Activation.ReLU relu = run == 3 ? (Activation.ReLU) layers.get(i + 2) : null;
                y = ((Conv2d) l).forwardFolded(y, (BatchNorm) layers.get(i + 1), relu);
                folded[i] = run;
            } else {
                y = l.tapForward(l.forward(y, training));
            }
            if (profile != null) {
                profiled[i] = in;
                if (!(l instanceof Sequential || l instanceof Residual)) {
                    profile.forward(l, in, y.shape(), System.nanoTime() - t0);
                }
            }
            i += Math.max(run, 1) - 1;
        }
        if (residual != null) {
            throw new IllegalStateException("sequential: a residual to add needs a sequence that ends in a folded convolution and batch norm");
        }
        return y;
    }

    /**
     * 2 when the residual block at {@code i} and the ReLU after it run as one pass (neither tapped), else 0: in
     * training too, the fused pass giving the same values and gradients.
     */
    private int residualRun(int i) {
        return i + 1 < layers.size() && layers.get(i + 1) instanceof Activation.ReLU r && !r.tapped() && !layers.get(i).tapped() ? 2 : 0;
    }

    /**
     * How many layers from {@code i} one folded pass stands for in evaluation mode: 3 for convolution, batch norm
     * and ReLU, 2 without the ReLU, 0 when they cannot be folded (a tap on one of them, a parameter that wants a
     * gradient, another stride).
     */
    private int foldableRun(int i) {
        if (i + 1 >= layers.size() || !(layers.get(i) instanceof Conv2d conv) || !(layers.get(i + 1) instanceof BatchNorm.BatchNorm2d bn)
                || conv.tapped() || bn.tapped() || !conv.foldable(bn)) {
            return 0;
        }
        boolean relu = i + 2 < layers.size() && layers.get(i + 2) instanceof Activation.ReLU r && !r.tapped();
        return relu ? 3 : 2;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor g = gradOut;
        LayerProfile profile = profiled == null ? null : LayerProfile.current();
        for (int i = layers.size() - 1; i >= 0; i--) {
            int start = foldedRunEndingAt(i);
            long t0 = profile == null ? 0 : System.nanoTime();
            Shape out = g.shape();
            Layer l = layers.get(start >= 0 ? start : i);
            boolean weights = false;
            if (start >= 0 && l instanceof Residual r) {
                g = r.backwardRelu(r.tapBackward(g));
                i = start;
            } else if (start >= 0) {
                g = ((Conv2d) l).backwardFolded(g);
                i = start;
            } else {
                if (profile != null) {
                    for (Param p : l.params()) {
                        weights |= p.requiresGrad();
                    }
                }
                g = l.backward(l.tapBackward(g));
            }
            if (profile != null && profiled[i] != null && !(l instanceof Sequential || l instanceof Residual)) {
                profile.backward(l, profiled[i], out, l.inputGradientNeeded(), weights, System.nanoTime() - t0);
            }
        }
        return g;
    }

    /** The first layer of the folded run of the last forward pass that ends at layer {@code i}, or -1. */
    private int foldedRunEndingAt(int i) {
        if (folded == null) {
            return -1;
        }
        for (int k = 2; k <= 3; k++) {
            int start = i - k + 1;
            if (start >= 0 && folded[start] == k) {
                return start;
            }
        }
        return -1;
    }

    @Override
    public List<Child> children() {
        List<Child> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(new Child(Integer.toString(i), layers.get(i)));
        }
        return out;
    }

    @Override
    public long macs(Shape in) {
        long total = 0;
        Shape s = in;
        for (Layer l : layers) {
            total += l.macs(s);
            s = l.outputShape(s);
        }
        return total;
    }
}
