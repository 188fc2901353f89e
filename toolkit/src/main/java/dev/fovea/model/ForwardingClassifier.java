package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.Optional;

/**
 * A classifier that hands every call to another ({@code inner}): the base of wrappers that change or watch a few
 * calls (counting queries, averaging over a model's randomness) and keep the rest. {@link #predict} is the
 * interface's, through this classifier's {@link #logits}, so a wrapper that changes the logits changes the
 * predictions with them. Closing it does not close the inner classifier, which its owner closes.
 */
public abstract class ForwardingClassifier implements Classifier {
    /** The classifier every call goes to. */
    protected final Classifier inner;

    protected ForwardingClassifier(Classifier inner) {
        if (inner == null) {
            throw new IllegalArgumentException("forwarding classifier: expected a classifier, got null");
        }
        this.inner = inner;
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
        return inner.logits(x);
    }

    @Override
    public Gradient gradient(Tensor x, Objective objective) {
        return inner.gradient(x, objective);
    }

    @Override
    public List<String> layers() {
        return inner.layers();
    }

    @Override
    public Tensor activations(Tensor x, String layer) {
        return inner.activations(x, layer);
    }

    @Override
    public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        return inner.layerGradient(x, layer, objective);
    }

    @Override
    public Optional<RuleBackprop> ruleBackprop() {
        return inner.ruleBackprop();
    }

    @Override
    public Optional<ActivationReplacement> activationReplacement() {
        return inner.activationReplacement();
    }
}
