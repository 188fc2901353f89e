package dev.fovea.model;

import dev.fovea.tensor.Tensor;

/**
 * A classifier's logits with one layer's output replaced (Ablation-CAM's channels set to zero): the own engine runs
 * the pass with the layer's output overwritten, a TorchScript model with {@code features}/{@code head} methods runs
 * its head on the given activations. Where a backend cannot, {@link Classifier#activationReplacement()} is empty.
 */
public interface ActivationReplacement {
    /**
     * Logits {@code [N,K]} of {@code x} {@code [N,C,H,W]} when {@code layer}'s output is {@code activations} (of that
     * output's shape, {@code [N,...]}), in one pass over the whole batch.
     */
    Tensor logits(Tensor x, String layer, Tensor activations);
}
