package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.function.IntUnaryOperator;

/**
 * Model calls over many derived inputs (noisy copies, points on a path, occluded copies) in chunks of at most
 * {@code batchSize} rows: a chunk is filled row by row, evaluated, and handed back row by row, so memory stays bounded
 * and each row's result is the same whatever the chunk size.
 */
final class Rows {
    /** Writes row {@code row}'s input ({@code per} values) into {@code dst} at {@code off}. */
    interface Filler {
        void fill(int row, float[] dst, int off);
    }

    /** Receives row {@code row}'s score and the gradient of that score ({@code per} values at {@code off}). */
    interface GradientSink {
        void accept(int row, double score, float[] grad, int off);
    }

    /** Receives row {@code row}'s score. */
    interface ScoreSink {
        void accept(int row, double score);
    }

    private Rows() {
    }

    static void gradients(Classifier model, int rows, ExplainConfig cfg, IntUnaryOperator targetOf, Filler fill, GradientSink sink) {
        Shape in = model.inputShape();
        int per = in.size();
        for (int from = 0; from < rows; from += cfg.batchSize()) {
            int m = Math.min(cfg.batchSize(), rows - from);
            float[] d = new float[m * per];
            int[] t = new int[m];
            for (int r = 0; r < m; r++) {
                fill.fill(from + r, d, r * per);
                t[r] = targetOf.applyAsInt(from + r);
            }
            Objective obj = Scores.objective(t, cfg.score());
            Classifier.Gradient g = model.gradient(new Tensor(in.withBatch(m), d), obj);
            for (int r = 0; r < m; r++) {
                sink.accept(from + r, g.values()[r], g.gradient().data(), r * per);
            }
        }
    }

    static void scores(Classifier model, int rows, ExplainConfig cfg, IntUnaryOperator targetOf, Filler fill, ScoreSink sink) {
        Shape in = model.inputShape();
        int per = in.size();
        for (int from = 0; from < rows; from += cfg.batchSize()) {
            int m = Math.min(cfg.batchSize(), rows - from);
            float[] d = new float[m * per];
            int[] t = new int[m];
            for (int r = 0; r < m; r++) {
                fill.fill(from + r, d, r * per);
                t[r] = targetOf.applyAsInt(from + r);
            }
            double[] v = Scores.fromLogits(model.logits(new Tensor(in.withBatch(m), d)), t, cfg.score());
            for (int r = 0; r < m; r++) {
                sink.accept(from + r, v[r]);
            }
        }
    }

    /** Copies sample {@code i} of {@code x} into {@code dst} at {@code off}. */
    static void copy(Tensor x, int i, float[] dst, int off) {
        int per = x.shape().sizeFrom(1);
        System.arraycopy(x.data(), i * per, dst, off, per);
    }

    /** A seed for row {@code (i, k)} derived from {@code seed} alone, so draws do not depend on the chunking. */
    static long seed(long seed, int i, int k) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + i) + 0xC2B2AE3D27D4EB4FL * (1 + (long) k);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
