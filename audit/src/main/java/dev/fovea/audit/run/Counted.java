package dev.fovea.audit.run;

import dev.fovea.audit.ProgressListener;
import dev.fovea.model.ActivationReplacement;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelSetup;
import dev.fovea.model.Objective;
import dev.fovea.model.RuleBackprop;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.Optional;

/**
 * A classifier that counts the samples it evaluates (each row of a forward or backward pass is one query) and moves
 * a progress task by them, within slices: a run opens a slice of at most as many queries as it may spend
 * ({@link #slice}), and when it ends ({@link #endSlice}) the task moves to the slice's end, so a run that stops
 * early (its samples fooled) does not leave the bar behind, and one that spends more than its bound does not run
 * past it. Everything else is the wrapped classifier's; closing it does not close the wrapped one.
 */
final class Counted implements Classifier {
    private final Classifier inner;
    private final ProgressListener.Task task;
    private long left;
    private String message;

    Counted(Classifier inner, ProgressListener.Task task) {
        this.inner = inner;
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

    private void count(Tensor x) {
        long n = Math.min(left, x.dim(0));
        if (n > 0) {
            left -= n;
            task.step(n, message);
        }
    }

    @Override
    public Shape inputShape() {
        return inner.inputShape();
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }

    @Override
    public int classes() {
        return inner.classes();
    }

    @Override
    public float[] bounds() {
        return inner.bounds();
    }

    @Override
    public String backend() {
        return inner.backend();
    }

    @Override
    public ModelSetup setup() {
        return inner.setup();
    }

    @Override
    public int batchSize() {
        return inner.batchSize();
    }

    @Override
    public Tensor logits(Tensor x) {
        Tensor z = inner.logits(x);
        count(x);
        return z;
    }

    @Override
    public Gradient gradient(Tensor x, Objective objective) {
        Gradient g = inner.gradient(x, objective);
        count(x);
        return g;
    }

    @Override
    public List<String> layers() {
        return inner.layers();
    }

    @Override
    public Tensor activations(Tensor x, String layer) {
        Tensor a = inner.activations(x, layer);
        count(x);
        return a;
    }

    @Override
    public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        LayerGradient g = inner.layerGradient(x, layer, objective);
        count(x);
        return g;
    }

    @Override
    public Optional<RuleBackprop> ruleBackprop() {
        return inner.ruleBackprop();
    }

    @Override
    public Optional<ActivationReplacement> activationReplacement() {
        return inner.activationReplacement();
    }

    @Override
    public int[] predict(Tensor x) {
        int[] p = inner.predict(x);
        count(x);
        return p;
    }
}
