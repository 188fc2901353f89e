package dev.fovea.model;

/**
 * A model returned what a classifier must not: logits of the wrong shape for the batch it was given, NaN or
 * infinite values, an integer type, or no gradient where one was asked for. The message names the model, what it
 * returned and for what batch. Unchecked, as every {@link Classifier} call may throw it; a front end treats it as
 * unusable input (the model), not as its own failure. Thrown by {@link AbstractClassifier}, which checks every
 * output of every backend.
 */
public class ModelOutputException extends RuntimeException {
    public ModelOutputException(String message) {
        super(message);
    }
}
