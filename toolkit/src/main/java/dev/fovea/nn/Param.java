package dev.fovea.nn;

import dev.fovea.tensor.Tensor;

/** A learned tensor and the gradient accumulated for it by the last backward pass. */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Param(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /** The local name, as PyTorch names the attribute ({@code weight}, {@code bias}). */
    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }
}
