package dev.fovea.train;

import dev.fovea.loss.JensenShannonConsistency;
import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;

/**
 * What a training step minimises: the loss of the logits of the images the step trains on (the batch, or what a
 * {@link BatchTransform} made of it) given the batch's labels, with its gradient on those logits, which the trainer
 * back-propagates. The logits may hold several rows per label, as AugMix's clean image and two copies.
 */
public interface TrainingLoss {
    /**
     * The mean loss over the batch's images, its gradient on the logits (shaped like them), and one predicted class
     * per label, from which the trainer counts its training accuracy.
     */
    record Result(double loss, Tensor gradient, int[] predicted) {
    }

    /** The loss of {@code logits} {@code [M,K]} for the batch's labels {@code [N]}. */
    Result compute(Tensor logits, int[] labels);

    /** Softmax cross-entropy over one row of logits per label: the default. */
    static TrainingLoss crossEntropy() {
        return (logits, labels) -> {
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, labels);
            return new Result(r.loss(), r.gradient(), logits.argmaxRows());
        };
    }

    /**
     * AugMix's loss ({@link JensenShannonConsistency}) over three rows per label: the clean images, then two AugMix
     * copies; the predictions are those on the clean images.
     */
    static TrainingLoss jensenShannon(double lambda) {
        return (logits, labels) -> {
            JensenShannonConsistency.Result r = JensenShannonConsistency.compute(logits, labels, lambda);
            return new Result(r.loss(), r.gradient(), Arrays.copyOf(logits.argmaxRows(), labels.length));
        };
    }
}
