package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.model.RuleBackprop;
import dev.fovea.nn.BackwardRule;
import dev.fovea.tensor.Tensor;

/**
 * What the methods with per-layer backward rules share (DeepLift, DeepLiftShap, guided back-propagation, Guided
 * Grad-CAM, LRP): the model's {@link RuleBackprop}, or the one-line reason the method is unavailable for it, and one
 * rule pass over a chunk seeded with the gradient of the explained score at the logits.
 */
final class RulePasses {
    private RulePasses() {
    }

    /** The model's rule passes; an {@link IllegalArgumentException} saying why {@code method} cannot run when it has none. */
    /** Why a method with backward rules cannot run on {@code model}, or {@code null} when it can. */
    static String unavailable(Classifier model) {
        return model.ruleBackprop().isPresent() ? null : "it needs per-layer backward rules, which only the own engine's layers take ("
                + model.backend() + " backend)";
    }

    static RuleBackprop of(Classifier model, String method) {
        return model.ruleBackprop().orElseThrow(() -> new IllegalArgumentException(method + ": not available for this model ("
                + model.backend() + " backend): it needs per-layer backward rules, which only the own engine's layers take "
                + "(libtorch runs its own autograd); open a .fovea model on the engine backend"));
    }

    /** Rows per rule pass: {@code batchSize}, fewer when they would hold more than {@link Rows#MAX_CHUNK_VALUES} values. */
    static int chunk(ExplainConfig cfg, int rowsPerItem, int perRow) {
        return Math.max(1, Math.min(cfg.batchSize(), Rows.MAX_CHUNK_VALUES / Math.max(1, rowsPerItem * perRow)));
    }

    /** Scores and the rule's signal at {@code x} seeded with the score's gradient at the logits (one pass, unchunked). */
    static RuleBackprop.Result gradient(RuleBackprop rb, Tensor x, int[] targets, ExplainConfig cfg, BackwardRule rule) {
        return rb.backward(x, z -> Scores.objective(targets, cfg.score()).evaluate(z).gradient(), rule);
    }
}
