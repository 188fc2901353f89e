package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.function.IntUnaryOperator;

/**
 * Model calls over many derived inputs (noisy copies, points on a path, occluded copies) in chunks of at most
 * {@code batchSize} rows, and at most {@value #MAX_CHUNK_VALUES} input values: a chunk is filled row by row,
 * evaluated, and handed back row by row, so memory stays bounded whatever the batch size and the number of rows, and
 * each row's result is the same whatever the chunk size.
 */
final class Rows {
    /** The most input values in one chunk: 2^24 (64 MiB of float32; 111 rows of 3 x 224 x 224). */
    static final int MAX_CHUNK_VALUES = 1 << 24;

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

    /**
     * The rows of {@code n} samples of {@code perSample} rows each; {@code option} names the option that sets
     * {@code perSample}, for the error when there are more than 2^31-1.
     */
    static int count(int n, int perSample, String option) {
        long rows = (long) n * perSample;
        if (rows > Integer.MAX_VALUE) {
            throw new InvalidOptionException(option, option + " " + perSample + " for " + n + " samples makes " + rows
                    + " model rows, more than 2^31-1; explain fewer samples at a time");
        }
        return (int) rows;
    }

    /** Rows per chunk: {@code batchSize}, fewer when they would hold more than {@link #MAX_CHUNK_VALUES} values. */
    private static int chunk(ExplainConfig cfg, int per) {
        return Math.max(1, Math.min(cfg.batchSize(), MAX_CHUNK_VALUES / Math.max(per, 1)));
    }

    static void gradients(Classifier model, int rows, ExplainConfig cfg, IntUnaryOperator targetOf, Filler fill, GradientSink sink) {
        Shape in = model.inputShape();
        int per = in.size();
        int chunk = chunk(cfg, per);
        for (int from = 0; from < rows; from += chunk) {
            int m = Math.min(chunk, rows - from);
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
        int chunk = chunk(cfg, per);
        for (int from = 0; from < rows; from += chunk) {
            int m = Math.min(chunk, rows - from);
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
