package dev.fovea.model;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * The chunking and checks every backend shares: input shape and finiteness are checked once, then the batch is
 * cut into chunks of {@link #batchSize()} samples and the results put back together.
 */
public abstract class AbstractClassifier implements Classifier {
    private final int batchSize;

    protected AbstractClassifier(int batchSize) {
        if (batchSize < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    protected abstract Tensor logitsChunk(Tensor x);

    protected abstract Gradient gradientChunk(Tensor x, Objective objective);

    protected abstract Tensor activationsChunk(Tensor x, String layer);

    protected abstract LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective);

    @Override
    public final Tensor logits(Tensor x) {
        check(x);
        return concat(chunks(x).stream().map(r -> logitsChunk(x.slice(r[0], r[1]))).toList(), x.dim(0));
    }

    @Override
    public final Gradient gradient(Tensor x, Objective objective) {
        check(x);
        checkLayer(objective.layer());
        double[] values = new double[x.dim(0)];
        float[] grad = new float[x.size()];
        int per = x.shape().sizeFrom(1);
        for (int[] r : chunks(x)) {
            Gradient g = gradientChunk(x.slice(r[0], r[1]), objective.slice(r[0], r[1]));
            System.arraycopy(g.values(), 0, values, r[0], r[1] - r[0]);
            System.arraycopy(g.gradient().data(), 0, grad, r[0] * per, (r[1] - r[0]) * per);
        }
        return new Gradient(values, new Tensor(x.shape(), grad));
    }

    @Override
    public final Tensor activations(Tensor x, String layer) {
        check(x);
        checkLayer(layer);
        return concat(chunks(x).stream().map(r -> activationsChunk(x.slice(r[0], r[1]), layer)).toList(), x.dim(0));
    }

    @Override
    public final LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        check(x);
        checkLayer(layer);
        if (objective.layer() != null) {
            throw new IllegalArgumentException("layer gradient: expected an objective on the logits, got one on layer " + objective.layer());
        }
        List<int[]> rs = chunks(x);
        List<LayerGradient> parts = rs.stream().map(r -> layerGradientChunk(x.slice(r[0], r[1]), layer, objective.slice(r[0], r[1]))).toList();
        double[] values = new double[x.dim(0)];
        for (int i = 0; i < rs.size(); i++) {
            System.arraycopy(parts.get(i).values(), 0, values, rs.get(i)[0], rs.get(i)[1] - rs.get(i)[0]);
        }
        return new LayerGradient(concat(parts.stream().map(LayerGradient::activations).toList(), x.dim(0)),
                concat(parts.stream().map(LayerGradient::gradient).toList(), x.dim(0)), values);
    }

    /** Throws naming the valid layers when {@code layer} is not one (null means the logits). */
    protected void checkLayer(String layer) {
        if (layer != null && !layers().contains(layer)) {
            throw new IllegalArgumentException("unknown layer '" + layer + "' (layers: " + String.join(", ", layers()) + ")");
        }
    }

    private void check(Tensor x) {
        Shape want = inputShape();
        if (x.shape().rank() != 4 || !x.shape().tail().equals(want)) {
            throw new ShapeException("model: expected input [N," + want.dim(0) + "," + want.dim(1) + "," + want.dim(2) + "], got " + x.shape());
        }
        if (!x.allFinite()) {
            throw new IllegalArgumentException("model: the input holds NaN or infinite values");
        }
    }

    private List<int[]> chunks(Tensor x) {
        int n = x.dim(0);
        java.util.ArrayList<int[]> out = new java.util.ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            out.add(new int[] {from, Math.min(n, from + batchSize)});
        }
        return out;
    }

    private static Tensor concat(List<Tensor> parts, int n) {
        if (parts.isEmpty()) {
            throw new ShapeException("model: expected at least one sample, got none");
        }
        int[] dims = parts.get(0).shape().dims();
        dims[0] = n;
        Shape s = Shape.of(dims);
        float[] out = new float[s.size()];
        int off = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, out, off, t.size());
            off += t.size();
        }
        return new Tensor(s, out);
    }
}
