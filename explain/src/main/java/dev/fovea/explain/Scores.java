package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
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
        logits.shape().requireRank(2, "scores", "logits [N,K]");
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (targets.length != n) {
            throw new IllegalArgumentException("scores: expected " + n + " targets, got " + targets.length);
        }
        double[] v = new double[n];
        float[] z = logits.data();
        for (int i = 0; i < n; i++) {
            v[i] = score == ExplainConfig.Score.LOGIT ? z[i * k + targets[i]] : softmax(z, i * k, k)[targets[i]];
        }
        return v;
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
        return score == ExplainConfig.Score.LOGIT ? Objective.logit(targets) : new Probability(targets);
    }

    static double[] softmax(float[] z, int off, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[off + j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(z[off + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** {@code p_t}, with gradient {@code dp_t/dz_j = p_t (1[j=t] - p_j)}. */
    private static final class Probability extends Objective {
        private final int[] targets;

        Probability(int[] targets) {
            this.targets = targets.clone();
        }

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor logits) {
            Shape s = logits.shape().requireRank(2, "probability", "logits [N,K]");
            int n = s.dim(0);
            int k = s.dim(1);
            if (targets.length != n) {
                throw new IllegalArgumentException("probability: expected " + n + " targets for logits " + s + ", got " + targets.length);
            }
            double[] v = new double[n];
            float[] g = new float[n * k];
            for (int i = 0; i < n; i++) {
                double[] p = softmax(logits.data(), i * k, k);
                int t = targets[i];
                v[i] = p[t];
                for (int j = 0; j < k; j++) {
                    g[i * k + j] = (float) (p[t] * ((j == t ? 1 : 0) - p[j]));
                }
            }
            return new Evaluation(v, new Tensor(s, g));
        }

        @Override
        public String describe() {
            return "probability";
        }

        @Override
        public Objective slice(int from, int to) {
            return new Probability(java.util.Arrays.copyOfRange(targets, from, to));
        }
    }
}
