package dev.fovea.nn;

import dev.fovea.tensor.Tensor;

/**
 * A replacement for the chain rule in a backward pass, layer by layer: what DeepLift, guided back-propagation and
 * layer-wise relevance propagation change. A {@link RulePass} walks its recorded forward pass back and asks the rule
 * at every leaf layer (every layer but {@link Sequential} and {@link Residual}) for the signal at the layer's input;
 * a rule that answers {@code null} leaves the layer to its own {@link Layer#backward} (the gradient).
 */
public interface BackwardRule {
    /**
     * The signal at {@code layer}'s input from {@code signal} at its output, with the layer's {@code input} and
     * {@code output} of the recorded pass (the layer still holds that pass's state, so its own {@link Layer#backward}
     * may be called once); {@code null} for the layer's own backward. Unsupported layers are an
     * {@link IllegalArgumentException} naming the layer's type.
     */
    Tensor backward(Layer layer, Tensor input, Tensor output, Tensor signal);

    /**
     * The signals for the body and the shortcut of a residual block {@code y = body + shortcut} from {@code signal} at
     * {@code y}, given both branches' outputs; by default both get the signal (the chain rule through a sum).
     */
    default Tensor[] split(Residual block, Tensor body, Tensor shortcut, Tensor signal) {
        return new Tensor[] {signal, signal};
    }

    /**
     * Whether the signal is a relevance, a quantity conserved per value, handed through the network's element-wise
     * input normalisation unchanged (LRP), rather than a gradient, which the chain rule through the normalisation
     * multiplies by {@code 1/std} (the default).
     */
    default boolean relevance() {
        return false;
    }
}
