package dev.fovea.model;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunking and checks every backend shares: input shape and finiteness are checked once, then the batch is
 * cut into chunks of {@link #batchSize()} samples and the results put back together.
 *
 * <p>What the model returns is checked here too, on every call and for every chunk, before anything reads it: logits
 * must be {@code [n,K]} for a chunk of {@code n} samples and {@code K = classes()}, activations {@code [n,...]},
 * and both finite. Objectives reach a backend wrapped in a check of the output they are evaluated on, so the
 * logits or activations of a gradient call are checked before the objective reads them. What only a backend can
 * see, it reports through {@link #requireFloatingPoint} and {@link #requireDifferentiable}. A model that fails a
 * check throws {@link ModelOutputException} naming the model ({@link #where()}), what it returned and for what
 * batch.
 */
public abstract class AbstractClassifier implements Classifier {
    private final int batchSize;
    private final String where;

    /** {@code where} names the model in messages about its outputs: its file, or a description. */
    protected AbstractClassifier(int batchSize, String where) {
        if (batchSize < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.where = where;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /** The model as messages name it: its file, or a description. */
    public String where() {
        return where;
    }

    protected abstract Tensor logitsChunk(Tensor x);

    protected abstract Gradient gradientChunk(Tensor x, Objective objective);

    protected abstract Tensor activationsChunk(Tensor x, String layer);

    protected abstract LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective);

    @Override
    public final Tensor logits(Tensor x) {
        check(x);
        List<Tensor> parts = new ArrayList<>();
        for (int[] r : chunks(x)) {
            parts.add(checkLogits(logitsChunk(x.slice(r[0], r[1])), r[0], r[1] - r[0]));
        }
        return concat(parts, x.dim(0));
    }

    @Override
    public final Gradient gradient(Tensor x, Objective objective) {
        check(x);
        checkLayer(objective.layer());
        double[] values = new double[x.dim(0)];
        float[] grad = new float[x.size()];
        int per = x.shape().sizeFrom(1);
        for (int[] r : chunks(x)) {
            Gradient g = gradientChunk(x.slice(r[0], r[1]), new Checked(objective.slice(r[0], r[1]), r[0], r[1] - r[0]));
            System.arraycopy(g.values(), 0, values, r[0], r[1] - r[0]);
            System.arraycopy(g.gradient().data(), 0, grad, r[0] * per, (r[1] - r[0]) * per);
        }
        return new Gradient(values, new Tensor(x.shape(), grad));
    }

    @Override
    public final Tensor activations(Tensor x, String layer) {
        check(x);
        checkLayer(layer);
        List<Tensor> parts = new ArrayList<>();
        for (int[] r : chunks(x)) {
            parts.add(checkActivations(activationsChunk(x.slice(r[0], r[1]), layer), layer, r[0], r[1] - r[0]));
        }
        return concat(parts, x.dim(0));
    }

    @Override
    public final LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
        check(x);
        checkLayer(layer);
        if (objective.layer() != null) {
            throw new IllegalArgumentException("layer gradient: expected an objective on the logits, got one on layer " + objective.layer());
        }
        List<int[]> rs = chunks(x);
        List<LayerGradient> parts = new ArrayList<>();
        for (int[] r : rs) {
            LayerGradient g = layerGradientChunk(x.slice(r[0], r[1]), layer, new Checked(objective.slice(r[0], r[1]), r[0], r[1] - r[0]));
            checkActivations(g.activations(), layer, r[0], r[1] - r[0]);
            parts.add(g);
        }
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

    /**
     * {@code z}, the logits the model returned for samples {@code [from, from + n)} of a call, if they are
     * {@code [n,K]} and finite; else a {@link ModelOutputException} saying what came back for what batch.
     */
    protected final Tensor checkLogits(Tensor z, int from, int n) {
        Shape want = Shape.of(n, classes());
        if (!z.shape().equals(want)) {
            throw new ModelOutputException(where + ": returned logits " + z.shape() + " for a batch of " + n + ", expected " + want);
        }
        int bad = firstNonFinite(z);
        if (bad >= 0) {
            int k = classes();
            throw new ModelOutputException(where + ": expected finite logits, got " + z.data()[bad] + " at sample " + (from + bad / k)
                    + ", class " + bad % k + " of " + batch(from, n));
        }
        return z;
    }

    /** As {@link #checkLogits} for the activations {@code [n,...]} of {@code layer}. */
    protected final Tensor checkActivations(Tensor a, String layer, int from, int n) {
        if (a.shape().rank() < 2 || a.dim(0) != n) {
            throw new ModelOutputException(where + ": returned activations " + a.shape() + " of layer " + layer + " for a batch of " + n
                    + ", expected [" + n + ",...]");
        }
        int bad = firstNonFinite(a);
        if (bad >= 0) {
            int per = a.shape().sizeFrom(1);
            throw new ModelOutputException(where + ": expected finite activations of layer " + layer + ", got " + a.data()[bad] + " at sample "
                    + (from + bad / per) + " of " + batch(from, n));
        }
        return a;
    }

    /**
     * Throws unless the backend's output {@code what} ({@code logits}, {@code activations of layer 5}) has a
     * floating-point type; {@code type} is the type it has ({@code int64}).
     */
    protected final void requireFloatingPoint(String what, boolean floating, String type) {
        if (!floating) {
            throw new ModelOutputException(where + ": expected floating-point " + what + ", got " + type);
        }
    }

    /**
     * Throws unless the backend's output {@code what}, computed for a gradient, carries a gradient back to what it
     * was computed from.
     */
    protected final void requireDifferentiable(String what, boolean differentiable) {
        if (!differentiable) {
            throw new ModelOutputException(where + ": expected " + what + " differentiable with respect to the input, got " + what
                    + " with no gradient (detached, or computed through argmax, rounding or a cast)");
        }
    }

    /** {@code a batch of 64}, or {@code a batch of 64 from sample 128} for a chunk further into the call. */
    private static String batch(int from, int n) {
        return "a batch of " + n + (from == 0 ? "" : " from sample " + from);
    }

    private static int firstNonFinite(Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    /** An objective whose output is checked before it is read: the logits, or the activations of its layer. */
    private final class Checked extends Objective {
        private final Objective objective;
        private final int from;
        private final int n;

        Checked(Objective objective, int from, int n) {
            this.objective = objective;
            this.from = from;
            this.n = n;
        }

        @Override
        public String layer() {
            return objective.layer();
        }

        @Override
        public Evaluation evaluate(Tensor output) {
            if (objective.layer() == null) {
                checkLogits(output, from, n);
            } else {
                checkActivations(output, objective.layer(), from, n);
            }
            return objective.evaluate(output);
        }

        @Override
        public String describe() {
            return objective.describe();
        }

        @Override
        public Objective slice(int a, int b) {
            return new Checked(objective.slice(a, b), from + a, b - a);
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
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            out.add(new int[] {from, Math.min(n, from + batchSize)});
        }
        return out;
    }

    private Tensor concat(List<Tensor> parts, int n) {
        if (parts.isEmpty()) {
            throw new ShapeException("model: expected at least one sample, got none");
        }
        int[] dims = parts.get(0).shape().dims();
        dims[0] = n;
        Shape s = Shape.of(dims);
        float[] out = new float[s.size()];
        int off = 0;
        for (Tensor t : parts) {
            if (!t.shape().tail().equals(parts.get(0).shape().tail())) {
                throw new ModelOutputException(where + ": returned " + t.shape() + " for one chunk of a batch and " + parts.get(0).shape()
                        + " for another");
            }
            System.arraycopy(t.data(), 0, out, off, t.size());
            off += t.size();
        }
        return new Tensor(s, out);
    }
}
