package dev.fovea.train;

import dev.fovea.model.Network;
import dev.fovea.tensor.Tensor;

/**
 * Replaces each training batch before the step is taken: adversarial training generates its examples here, so the
 * trainer needs nothing from the attacks. It is called before the gradients are zeroed, on the network as it
 * stands (the transform decides in which mode it runs the network), and must not change {@code x}.
 */
@FunctionalInterface
public interface BatchTransform {
    /**
     * Images to train on in place of {@code x} ({@code [N,C,H,W]}), with labels {@code y}: {@code [N,C,H,W]}, or
     * as many rows per label as the trainer's {@link TrainingLoss} expects (AugMix's clean image and two copies);
     * {@code step} counts the batches of the whole run from 0, to seed what the transform draws.
     */
    Tensor apply(Network net, Tensor x, int[] y, long step);
}
