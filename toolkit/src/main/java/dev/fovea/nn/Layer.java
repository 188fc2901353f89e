package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A network layer: forward and backward side by side. {@link #forward} remembers what {@link #backward} needs,
 * so a layer holds the state of one pass at a time and is not shared between threads.
 *
 * <p>{@link #backward} takes the gradient of a scalar with respect to the layer's output, adds the gradients of
 * its parameters to {@link Param#grad()} and returns the gradient with respect to its input.
 */
public abstract class Layer {
    private java.util.function.Consumer<Tensor> forwardTap;
    private java.util.function.UnaryOperator<Tensor> backwardTap;
    private boolean inputGradientNeeded = true;
    private boolean reuseOutput;
    private boolean reuseInputGradient;
    private float[] output;
    private float[] inputGradient;
    private float[][] scratch = new float[0][];
    /** A child layer under the name PyTorch would give it ({@code 0}, {@code 1}, ... in a sequential container). */
    public record Child(String name, Layer layer) {
    }

    /**
     * Taps on this layer's output, called by the enclosing {@link Sequential}: {@code forward} sees the output of
     * each forward pass, {@code backward} may replace the gradient arriving at the output before this layer's
     * backward runs. {@code null} removes a tap. Used to read and seed activations of inner layers.
     */
    public void setTaps(java.util.function.Consumer<Tensor> forward, java.util.function.UnaryOperator<Tensor> backward) {
        this.forwardTap = forward;
        this.backwardTap = backward;
    }

    final Tensor tapForward(Tensor y) {
        if (forwardTap != null) {
            forwardTap.accept(y);
        }
        return y;
    }

    /** Whether a tap is set on this layer. */
    final boolean tapped() {
        return forwardTap != null || backwardTap != null;
    }

    final Tensor tapBackward(Tensor g) {
        return backwardTap == null ? g : backwardTap.apply(g);
    }

    /**
     * Whether {@link #backward} must return the gradient with respect to the input (the default). When not (the
     * first layer of a training step), a layer may skip that work and return {@code null}.
     */
    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }

    /**
     * Lets this layer write its output, and its input gradient, into the array it used last time (when the size
     * allows) instead of a new one, while switched on. Only for passes whose outputs and input gradients nobody
     * keeps past the next pass: {@link dev.fovea.model.Network} switches it on for its inner layers during its own
     * passes, leaving the logits and the pixel gradient it hands out fresh. The arrays are kept while it is off.
     */
    public void setBufferReuse(boolean output, boolean inputGradient) {
        this.reuseOutput = output;
        this.reuseInputGradient = inputGradient;
    }

    /** An array for this pass's output: the last one again under {@link #setBufferReuse}, else new. Not zeroed. */
    protected final float[] outputArray(int size) {
        if (!reuseOutput) {
            return new float[size];
        }
        if (output == null || output.length != size) {
            output = new float[size];
        }
        return output;
    }

    /** As {@link #outputArray}, for the input gradient of a backward pass. Not zeroed. */
    protected final float[] inputGradientArray(int size) {
        if (!reuseInputGradient) {
            return new float[size];
        }
        if (inputGradient == null || inputGradient.length != size) {
            inputGradient = new float[size];
        }
        return inputGradient;
    }

    /**
     * The layer's own array number {@code slot} of {@code size} floats, kept from pass to pass (state that only this
     * layer reads, such as what the backward pass needs). Not zeroed.
     */
    protected final float[] scratchArray(int slot, int size) {
        if (slot >= scratch.length) {
            scratch = java.util.Arrays.copyOf(scratch, slot + 1);
        }
        if (scratch[slot] == null || scratch[slot].length != size) {
            scratch[slot] = new float[size];
        }
        return scratch[slot];
    }

    /** The type name used in architecture files ({@code conv2d}, {@code relu}, ...). */
    public abstract String type();

    /** Output shape for an input of shape {@code in} (batch dimension included); throws on a shape that does not fit. */
    public abstract Shape outputShape(Shape in);

    public abstract Tensor forward(Tensor x, boolean training);

    public abstract Tensor backward(Tensor gradOut);

    /** This layer's own parameters (children's are listed by the children). */
    public List<Param> params() {
        return List.of();
    }

    /** This layer's own state entries: parameters first, then buffers such as running statistics. */
    public List<StateTensor> state() {
        List<StateTensor> out = new ArrayList<>();
        for (Param p : params()) {
            out.add(StateTensor.of(p.name(), p.value().shape(), p.value().data()));
        }
        return out;
    }

    /** The given parameters without the absent ({@code null}) ones, e.g. an optional bias. */
    protected static List<Param> present(Param... params) {
        List<Param> out = new ArrayList<>();
        for (Param p : params) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    public List<Child> children() {
        return List.of();
    }

    /** Multiply-accumulate operations of one forward pass for a single sample of shape {@code in} (batch 1). */
    public long macs(Shape in) {
        return 0;
    }

    /**
     * Kernel size, stride and padding along one spatial axis, for receptive-field arithmetic; {@code null} when
     * not spatial.
     */
    public int[] spatialKernelStride() {
        return null;
    }

    /** Short description of the hyper-parameters, for {@code fovea inspect}. */
    public String describe() {
        return type();
    }
}
