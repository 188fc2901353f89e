package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * Softmax over the last axis of {@code [N,K]}, computed as {@code exp(x - max) / sum}. Backward:
 * {@code dx = y * (g - sum(g * y))}. Training uses {@link dev.fovea.loss.SoftmaxCrossEntropy} on logits instead.
 */
public final class Softmax extends Layer {
    private Tensor out;

    @Override
    public String type() {
        return "softmax";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2) {
            throw new ShapeException("softmax: expected input [N,K], got " + in);
        }
        return in;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        outputShape(x.shape());
        out = new Tensor(x.shape(), apply(x.data(), x.dim(0), x.dim(1)));
        return out;
    }

    /** Row-wise softmax of a {@code rows x k} matrix. */
    public static float[] apply(float[] x, int rows, int k) {
        float[] y = new float[rows * k];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(x[o + j] - max);
                y[o + j] = (float) e;
                sum += e;
            }
            for (int j = 0; j < k; j++) {
                y[o + j] = (float) (y[o + j] / sum);
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int rows = out.dim(0);
        int k = out.dim(1);
        float[] y = out.data();
        float[] g = gradOut.data();
        float[] dx = new float[g.length];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            double dot = 0;
            for (int j = 0; j < k; j++) {
                dot += g[o + j] * y[o + j];
            }
            for (int j = 0; j < k; j++) {
                dx[o + j] = (float) (y[o + j] * (g[o + j] - dot));
            }
        }
        return new Tensor(out.shape(), dx);
    }
}
