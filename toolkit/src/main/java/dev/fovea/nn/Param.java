package dev.fovea.nn;

import dev.fovea.tensor.Tensor;

/**
 * A learned tensor and the gradient accumulated for it by the last backward pass. A parameter that does not
 * {@link #requiresGrad()} (as PyTorch's {@code requires_grad=False}) is left out of backward passes: its gradient
 * stays as it is, and the layer skips the work (the weight-gradient product of a convolution or linear layer).
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private boolean requiresGrad = true;

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

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public void setRequiresGrad(boolean requiresGrad) {
        this.requiresGrad = requiresGrad;
    }

    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }
}
