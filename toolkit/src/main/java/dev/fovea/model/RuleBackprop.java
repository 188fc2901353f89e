package dev.fovea.model;

import dev.fovea.nn.BackwardRule;
import dev.fovea.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * A classifier's backward passes with per-layer rules in place of the chain rule ({@link BackwardRule}): what
 * DeepLift, guided back-propagation and LRP need. Only a network whose layers the library runs has it (the own
 * engine, {@link EngineClassifier}); a TorchScript module runs its own autograd, which takes no rules
 * ({@link Classifier#ruleBackprop()} is empty there).
 */
public interface RuleBackprop {
    /** The logits {@code [N,K]} of a pass and the signal {@code [N,C,H,W]} at its pixels. */
    record Result(Tensor logits, Tensor signal) {
    }

    /**
     * One evaluation-mode pass over the whole of {@code x} {@code [N,C,H,W]} (not cut into chunks: a rule may pair its
     * rows), then the rule's backward pass from {@code seed(logits)} {@code [N,K]} at the logits to the pixels: a
     * gradient-type signal times {@code 1/std} through the input normalisation, a relevance as it is
     * ({@link BackwardRule#relevance()}).
     */
    Result backward(Tensor x, UnaryOperator<Tensor> seed, BackwardRule rule);
}
