package dev.fovea.audit.run;

import dev.fovea.audit.ProgressListener;
import dev.fovea.model.Classifier;
import dev.fovea.model.ForwardingClassifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

/**
 * A classifier that counts the samples it evaluates (each row of a forward or backward pass is one query) and moves
 * a progress task by them, within slices: a run opens a slice of at most as many queries as it may spend
 * ({@link #slice}), and when it ends ({@link #endSlice}) the task moves to the slice's end, so a run that stops
 * early (its samples fooled) does not leave the bar behind, and one that spends more than its bound does not run
 * past it. Everything else is the wrapped classifier's.
 */
final class Counted extends ForwardingClassifier {
    private final ProgressListener.Task task;
    private long left;
    private String message;

    Counted(Classifier inner, ProgressListener.Task task) {
        super(inner);
        this.task = task;
    }

    /** Opens a slice of {@code queries}, shown with {@code message}. */
    void slice(long queries, String message) {
        this.left = queries;
        this.message = message;
    }

    /** Moves the task to the end of the current slice. */
    void endSlice() {
        if (left > 0) {
            task.step(left, message);
            left = 0;
        }
    }

    /** Counts the rows of {@code x} and returns {@code result}. */
    private <T> T counted(Tensor x, T result) {
        long n = Math.min(left, x.dim(0));
        if (n > 0) {
            left -= n;
            task.step(n, message);
        }
        return result;
    }

    @Override
    public Tensor logits(Tensor x) {
        return counted(x, inner.logits(x));
    }

    @Override
    public Gradient gradient(Tensor x, Objective objective) {
        return counted(x, inner.gradient(x, objective));
    }

    @Override
    public Tensor activations(Tensor x, String layer) {
        return counted(x, inner.activations(x, layer));
    }

    @Override
    public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        return counted(x, inner.layerGradient(x, layer, objective));
    }
}
