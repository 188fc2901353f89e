package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

/**
 * The scalar an attribution explains: the target's logit {@code z_t} or its softmax probability
 * {@code p_t = exp(z_t) / sum_j exp(z_j)}, as values from logits and as an {@link Objective} whose input gradient
 * the model takes.
 */
public final class Scores {
    private Scores() {
    }

    /** The score of {@code targets[i]} for each row of {@code logits} {@code [N,K]}. */
    public static double[] fromLogits(Tensor logits, int[] targets, ExplainConfig.Score score) {
        return objective(targets, score).evaluate(logits).values();
    }

    /** The score of each sample of {@code x}, in chunks of {@code batch} samples. */
    public static double[] of(Classifier model, Tensor x, int[] targets, ExplainConfig.Score score, int batch) {
        int n = x.dim(0);
        double[] v = new double[n];
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            double[] part = fromLogits(model.logits(x.slice(from, to)), java.util.Arrays.copyOfRange(targets, from, to), score);
            System.arraycopy(part, 0, v, from, to - from);
        }
        return v;
    }

    /** The score as an objective on the logits. */
    public static Objective objective(int[] targets, ExplainConfig.Score score) {
        return score == ExplainConfig.Score.LOGIT ? Objective.logit(targets) : Objective.probability(targets);
    }
}
