package dev.fovea.attacks.certify;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * A linear two-class classifier on {@code [1,4,4]} inputs, whose smoothed prediction is known in closed form:
 * class 1 where {@code m(x) = w.x + b > 0}, class 0 elsewhere, with {@code |w| = 1}. Under noise
 * {@code N(0, sigma^2 I)} the margin {@code m(x + delta)} is {@code N(m(x), sigma^2)}, so the top class has
 * probability {@code pA = Phi(|m(x)| / sigma)}, the smoothed classifier is the base one, and the radius of
 * Theorem 1 with the exact {@code pA}, {@code sigma * Phi^-1(pA) = |m(x)|}, is the distance to the decision boundary:
 * no certificate may exceed it.
 */
final class LinearModel implements Classifier {
    static final Shape INPUT = Shape.of(1, 4, 4);
    private static final int D = 16;

    private final float[] w = new float[D];
    private final double b;
    private final int batchSize;

    /** {@code w} the unit vector with alternating signs of equal size, bias {@code b}, calls of at most {@code batchSize} draws. */
    LinearModel(double b, int batchSize) {
        for (int i = 0; i < D; i++) {
            w[i] = (i % 2 == 0 ? 1f : -1f) / (float) Math.sqrt(D);
        }
        this.b = b;
        this.batchSize = batchSize;
    }

    /** The margin {@code w.x + b} of sample {@code i}, in double precision. */
    double margin(Tensor x, int i) {
        double m = b;
        for (int j = 0; j < D; j++) {
            m += (double) w[j] * x.data()[i * D + j];
        }
        return m;
    }

    /** A sample at signed margin {@code m}: a uniform grey level plus {@code (m - margin(grey)) * w} (pixels stay near 0.5). */
    Tensor at(double... margins) {
        float[] px = new float[margins.length * D];
        for (int i = 0; i < margins.length; i++) {
            for (int j = 0; j < D; j++) {
                px[i * D + j] = (float) (0.5 + (margins[i] - b) * w[j]);
            }
        }
        return new Tensor(INPUT.withBatch(margins.length), px);
    }

    int calls;

    @Override
    public Shape inputShape() {
        return INPUT;
    }

    @Override
    public List<String> classNames() {
        return List.of("negative", "positive");
    }

    @Override
    public String backend() {
        return "test";
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public Tensor logits(Tensor x) {
        if (x.dim(0) > batchSize) {
            throw new IllegalStateException("a call of " + x.dim(0) + " samples, more than the batch size " + batchSize);
        }
        calls++;
        int n = x.dim(0);
        float[] z = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double m = margin(x, i);
            z[2 * i] = (float) (-m / 2);
            z[2 * i + 1] = (float) (m / 2);
        }
        return new Tensor(Shape.of(n, 2), z);
    }

    /** The sign of the margin in double precision (the logits' argmax up to float rounding at the boundary). */
    @Override
    public int[] predict(Tensor x) {
        logits(x);
        int[] out = new int[x.dim(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = margin(x, i) > 0 ? 1 : 0;
        }
        return out;
    }

    @Override
    public Gradient gradient(Tensor x, Objective objective) {
        throw new UnsupportedOperationException("not needed");
    }

    @Override
    public List<String> layers() {
        return List.of();
    }

    @Override
    public Tensor activations(Tensor x, String layer) {
        throw new UnsupportedOperationException("not needed");
    }

    @Override
    public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        throw new UnsupportedOperationException("not needed");
    }
}
