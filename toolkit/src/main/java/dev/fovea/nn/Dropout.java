package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each value is zeroed with probability {@code p} and the rest scaled by
 * {@code 1/(1-p)}; in evaluation the identity. The masks come from a seeded generator, so a run is repeatable.
 */
public final class Dropout extends Layer {
    private final float p;
    private SplittableRandom random;
    private float[] mask;

    public Dropout(float p, long seed) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: expected 0 <= p < 1, got " + p);
        }
        this.p = p;
        this.random = new SplittableRandom(seed);
    }

    public float p() {
        return p;
    }

    /** Restarts the mask sequence from {@code seed}. */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    public String describe() {
        return "dropout " + p;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (!training || p == 0f) {
            mask = null;
            return x;
        }
        float scale = 1f / (1f - p);
        float[] in = x.data();
        float[] m = new float[in.length];
        float[] y = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            m[i] = random.nextDouble() < p ? 0f : scale;
            y[i] = in[i] * m[i];
        }
        mask = m;
        return new Tensor(x.shape(), y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (mask == null) {
            return gradOut;
        }
        float[] g = gradOut.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = g[i] * mask[i];
        }
        return new Tensor(gradOut.shape(), dx);
    }
}
