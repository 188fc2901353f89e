package dev.fovea.attacks;

import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

/**
 * An objective on the logits that also keeps a copy of the logits it is evaluated on, so an attack learns each
 * sample's prediction and margins from the same forward pass that gives it the gradient, and tests its
 * {@link Criterion} on those predictions.
 */
final class Watched extends Objective {
    private final Objective inner;
    private final float[] logits;
    private final int classes;
    private final int offset;

    /** {@code inner} reads the logits of {@code n} samples of {@code k} classes. */
    Watched(Objective inner, int n, int k) {
        this(inner, new float[n * k], k, 0);
    }

    private Watched(Objective inner, float[] logits, int classes, int offset) {
        if (inner.layer() != null) {
            throw new IllegalArgumentException("watched: expected an objective on the logits, got one on layer " + inner.layer());
        }
        this.inner = inner;
        this.logits = logits;
        this.classes = classes;
        this.offset = offset;
    }

    /** The logits seen, {@code [n*k]} row by row. */
    float[] logits() {
        return logits;
    }

    /** The predicted class of each sample seen: its first highest logit. */
    int[] predictions() {
        int n = logits.length / classes;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int o = i * classes;
            int best = 0;
            for (int j = 1; j < classes; j++) {
                if (logits[o + j] > logits[o + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Whether each sample seen is adversarial under {@code criterion} (whose sample {@code i} is the {@code i}-th seen). */
    boolean[] adversarial(Criterion criterion) {
        return criterion.test(predictions());
    }

    @Override
    public String layer() {
        return null;
    }

    @Override
    public Evaluation evaluate(Tensor z) {
        System.arraycopy(z.data(), 0, logits, offset * z.dim(1), z.size());
        return inner.evaluate(z);
    }

    @Override
    public Objective slice(int from, int to) {
        return new Watched(inner.slice(from, to), logits, classes, offset + from);
    }

    @Override
    public String describe() {
        return inner.describe();
    }
}
