package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * A differentiable image classifier: what attacks and attributions stand on. Inputs are pixel batches
 * {@code [N,C,H,W]} in the box {@code [0,1]}; normalisation happens inside, so every epsilon and every gradient is
 * in pixel units. Evaluation-mode semantics (batch-norm running statistics, no dropout). Large batches are
 * processed in chunks of {@link #batchSize()} samples, with results identical whatever the chunk size. The input
 * tensor is never changed.
 *
 * <p>Layers are named as in the model's state dict ({@code 3}, {@code 3.body.0}); {@link #layers()} lists those
 * this classifier can reach.
 */
public interface Classifier extends AutoCloseable {
    /** Values of the objective and its gradient at a layer (Grad-CAM's raw material). */
    record LayerGradient(Tensor activations, Tensor gradient, double[] values) {
    }

    /** Values of the objective per sample and their gradient with respect to the input pixels. */
    record Gradient(double[] values, Tensor gradient) {
    }

    /** Per-sample input shape {@code [C,H,W]}. */
    Shape inputShape();

    List<String> classNames();

    default int classes() {
        return classNames().size();
    }

    /** Lower and upper bound of valid pixel values. */
    default float[] bounds() {
        return new float[] {0f, 1f};
    }

    /** {@code engine} or {@code libtorch}. */
    String backend();

    /**
     * What the model runs with besides its weights (input shape, normalisation, class names) and where each came
     * from, for reports; {@code null} when the classifier does not say (a wrapper around another, say).
     */
    default ModelSetup setup() {
        return null;
    }

    int batchSize();

    /** Logits {@code [N,K]}. */
    Tensor logits(Tensor x);

    /** The objective's value per sample and its gradient with respect to the input pixels. */
    Gradient gradient(Tensor x, Objective objective);

    /** Names of the layers whose activations can be read. */
    List<String> layers();

    /** Activations {@code [N,...]} of a layer. */
    Tensor activations(Tensor x, String layer);

    /** Activations of {@code layer} and the gradient there of an objective on the logits. */
    LayerGradient layerGradient(Tensor x, String layer, Objective objective);

    /**
     * Backward passes with per-layer rules (DeepLift, guided back-propagation, LRP), where the backend has them: the
     * own engine does, a TorchScript module (its own autograd) does not.
     */
    default java.util.Optional<RuleBackprop> ruleBackprop() {
        return java.util.Optional.empty();
    }

    /** Logits with a layer's output replaced (Ablation-CAM), where the backend can. */
    default java.util.Optional<ActivationReplacement> activationReplacement() {
        return java.util.Optional.empty();
    }

    /** Releases native resources; a no-op for the own engine. */
    @Override
    default void close() {
    }

    /** Predicted classes for a batch. */
    default int[] predict(Tensor x) {
        return logits(x).argmaxRows();
    }
}
