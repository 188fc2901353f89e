package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a layer's backward pass against central finite differences (after Deeplearning4j's
 * {@code GradientCheckUtil}). The scalar is {@code L = <layer.forward(x), g>} for a random upstream gradient
 * {@code g}; the analytic gradients come from one forward and one {@code backward(g)}, the numeric ones from
 * {@code (L(v + h) - L(v - h)) / (2h)} for every entry {@code v} of the input or of a parameter, with {@code L}
 * summed in double. The layers compute in float32, so the step is divided by the difference actually
 * represented ({@code (float)(v+h) - (float)(v-h)}), and {@code h} is about {@code 1e-2..1e-3}: small enough
 * for the curvature, large enough for float32 rounding. Layers that are linear in the checked value are exact
 * for any step, so a large one there leaves nothing but rounding.
 *
 * <p>The error of an entry is {@code |a - n| / (|a| + |n| + 1e-6)}; a check reports the largest over a tensor.
 * Where float32 noise swamps near-zero gradients (batch norm, deep stacks), {@link #absTolerance} lets entries
 * whose absolute difference is below a floor pass.
 * Inputs must stay away from kinks (ReLU near 0, max-pool ties): see {@link #awayFromZero} and
 * {@link #distinct}. Before every forward pass each {@link Dropout} inside the layer is reseeded, so its mask is
 * the same in every evaluation; the layer is otherwise left as it was, except for parameter gradients, which a
 * check zeroes and fills, and batch-norm running statistics, which training-mode forward passes update.
 *
 * <p>Use {@code GradCheck.of(layer).training(true).step(1e-3).tolerance(1e-3).assertAll(x)}, or the static
 * {@link #input} and {@link #params} for the defaults.
 */
public final class GradCheck {
    /** Default relative-error bound, as in the DL4J and CS231n recipes for float32 layers. */
    public static final double DEFAULT_TOLERANCE = 1e-2;
    public static final double DEFAULT_STEP = 1e-2;

    /**
     * Outcome for one tensor: the worst entry and its two gradients. {@code what} names the layer and the tensor
     * ({@code "conv2d 2->3 k3 s1 p1: input"}, {@code "sequential: 0.weight"}).
     */
    public record Result(String what, Shape shape, double maxRelError, int index, double analytic, double numeric,
                         double maxAbsError, int checked) {
        /** The worst entry, as a readable line naming the layer, the tensor and the index. */
        public String describe() {
            String at = index < 0 ? "-" : Arrays.toString(unravel(index, shape)) + " (flat " + index + ")";
            return what + " " + shape + " at " + at + ": analytic " + analytic + ", numeric " + numeric
                    + ", relative error " + String.format("%.3g", maxRelError) + " (largest absolute difference "
                    + String.format("%.3g", maxAbsError) + ") over " + checked + " entries";
        }
    }

    /** A parameter and where it sits in the layer tree ({@code body.0.weight}). */
    private record NamedParam(String path, Param param) {
    }

    private final Layer layer;
    private final boolean training;
    private final long seed;
    private final double step;
    private final double tolerance;
    private final double absTolerance;
    private final int maxEntries;

    private GradCheck(Layer layer, boolean training, long seed, double step, double tolerance, double absTolerance,
                      int maxEntries) {
        if (!(step > 0) || !(tolerance > 0) || !(absTolerance >= 0) || maxEntries <= 0) {
            throw new IllegalArgumentException("gradcheck: expected step > 0, tolerance > 0, absTolerance >= 0, maxEntries > 0, got step="
                    + step + " tolerance=" + tolerance + " absTolerance=" + absTolerance + " maxEntries=" + maxEntries);
        }
        this.layer = layer;
        this.training = training;
        this.seed = seed;
        this.step = step;
        this.tolerance = tolerance;
        this.absTolerance = absTolerance;
        this.maxEntries = maxEntries;
    }

    /**
     * Evaluation mode, seed 1, step {@link #DEFAULT_STEP}, tolerance {@link #DEFAULT_TOLERANCE}, no absolute
     * floor, every entry.
     */
    public static GradCheck of(Layer layer) {
        return new GradCheck(layer, false, 1, DEFAULT_STEP, DEFAULT_TOLERANCE, 0, Integer.MAX_VALUE);
    }

    public GradCheck training(boolean t) {
        return new GradCheck(layer, t, seed, step, tolerance, absTolerance, maxEntries);
    }

    /** Seed of the upstream gradient, of the dropout masks and of the entry sample. */
    public GradCheck seed(long s) {
        return new GradCheck(layer, training, s, step, tolerance, absTolerance, maxEntries);
    }

    public GradCheck step(double h) {
        return new GradCheck(layer, training, seed, h, tolerance, absTolerance, maxEntries);
    }

    /** Bound on the relative error {@code |a - n| / (|a| + |n| + 1e-6)} of every entry. */
    public GradCheck tolerance(double t) {
        return new GradCheck(layer, training, seed, step, t, absTolerance, maxEntries);
    }

    /**
     * Entries whose analytic and numeric gradients differ by less than this pass whatever their relative error
     * (DL4J's {@code minAbsoluteError}). Float32 rounding inside a layer puts noise of roughly
     * {@code 1e-7 * |L| / h} on every numeric gradient, so an entry whose true gradient is near zero (a conv bias
     * followed by batch norm in training mode, a cancelling sum) has a large relative error that means nothing.
     * Default 0: the relative bound alone.
     */
    public GradCheck absTolerance(double t) {
        return new GradCheck(layer, training, seed, step, tolerance, t, maxEntries);
    }

    /** Checks at most this many entries of each tensor, drawn from the seed (for whole networks). */
    public GradCheck maxEntries(int n) {
        return new GradCheck(layer, training, seed, step, tolerance, absTolerance, n);
    }

    /** Input gradient check with default step and all entries. */
    public static Result input(Layer layer, Tensor x, boolean training, long seed) {
        return of(layer).training(training).seed(seed).input(x);
    }

    /** Parameter gradient checks with default step and all entries, one result per parameter. */
    public static List<Result> params(Layer layer, Tensor x, boolean training, long seed) {
        return of(layer).training(training).seed(seed).params(x);
    }

    /** The largest relative error of {@code dL/dx}. {@code x} is not changed. */
    public Result input(Tensor x) {
        Analytic a = analytic(x);
        Tensor xw = x.copy();
        return compare(name() + ": input", x.shape(), a.dx, xw.data(), () -> loss(xw, a.g));
    }

    /** The largest relative error of {@code dL/dp} for every parameter in the layer tree, in tree order. */
    public List<Result> params(Tensor x) {
        Analytic a = analytic(x);
        Tensor xw = x.copy();
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < a.params.size(); i++) {
            NamedParam p = a.params.get(i);
            out.add(compare(name() + ": " + p.path(), p.param().value().shape(), a.paramGrads.get(i),
                    p.param().value().data(), () -> loss(xw, a.g)));
        }
        return out;
    }

    /** Fails, naming the layer, the tensor and the index, unless the input gradient is within tolerance. */
    public Result assertInput(Tensor x) {
        return check(input(x));
    }

    /** Fails unless every parameter gradient is within tolerance; fails too when the layer has no parameters. */
    public List<Result> assertParams(Tensor x) {
        List<Result> results = params(x);
        if (results.isEmpty()) {
            fail(name() + ": expected parameters to check, found none");
        }
        results.forEach(this::check);
        return results;
    }

    /** {@link #assertInput} and, when the layer tree has parameters, {@link #assertParams}. */
    public List<Result> assertAll(Tensor x) {
        List<Result> out = new ArrayList<>();
        out.add(assertInput(x));
        if (!collectParams(layer, "").isEmpty()) {
            out.addAll(assertParams(x));
        }
        return out;
    }

    private Result check(Result r) {
        if (!(r.maxRelError() < tolerance)) {
            fail("gradient check failed: " + r.describe() + " > " + tolerance
                    + (absTolerance > 0 ? " with absolute difference >= " + absTolerance : "")
                    + " (step " + step + ", training " + training + ", seed " + seed + ")");
        }
        return r;
    }

    private String name() {
        return layer.describe();
    }

    private record Analytic(float[] g, float[] dx, List<NamedParam> params, List<float[]> paramGrads) {
    }

    private Analytic analytic(Tensor x) {
        List<NamedParam> params = collectParams(layer, "");
        params.forEach(p -> p.param().zeroGrad());
        reseedDropouts();
        Tensor y = layer.forward(x.copy(), training);
        SplittableRandom r = new SplittableRandom(seed);
        float[] g = new float[y.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (2 * r.nextDouble() - 1);
        }
        Tensor dx = layer.backward(new Tensor(y.shape(), g.clone()));
        if (!dx.shape().equals(x.shape())) {
            fail(name() + ": backward returned a gradient of shape " + dx.shape() + " for input " + x.shape());
        }
        List<float[]> grads = new ArrayList<>();
        for (NamedParam p : params) {
            grads.add(p.param().grad().data().clone());
        }
        return new Analytic(g, dx.data().clone(), params, grads);
    }

    private double loss(Tensor x, float[] g) {
        reseedDropouts();
        float[] y = layer.forward(x, training).data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * g[i];
        }
        return s;
    }

    /**
     * Perturbs {@code values} in place one entry at a time (restoring it), comparing with {@code analytic}. The
     * worst entry is the one of largest relative error among those whose absolute difference reaches the floor.
     */
    private Result compare(String what, Shape shape, float[] analytic, float[] values, DoubleSupplier lossFn) {
        double worst = 0;
        int worstAt = -1;
        double worstA = 0;
        double worstN = 0;
        double maxAbs = 0;
        int[] entries = entries(values.length);
        for (int i : entries) {
            float orig = values[i];
            float plus = (float) (orig + step);
            float minus = (float) (orig - step);
            values[i] = plus;
            double lp = lossFn.getAsDouble();
            values[i] = minus;
            double lm = lossFn.getAsDouble();
            values[i] = orig;
            double numeric = (lp - lm) / ((double) plus - (double) minus);
            double a = analytic[i];
            double diff = Math.abs(a - numeric);
            maxAbs = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, diff);
            double rel = diff < absTolerance ? 0 : diff / (Math.abs(a) + Math.abs(numeric) + 1e-6);
            if (rel > worst || Double.isNaN(rel) || worstAt < 0) {
                worst = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : Math.max(worst, rel);
                worstAt = i;
                worstA = a;
                worstN = numeric;
            }
        }
        return new Result(what, shape, worst, worstAt, worstA, worstN, maxAbs, entries.length);
    }

    private int[] entries(int size) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        if (size <= maxEntries) {
            return all;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < maxEntries; i++) {
            int j = i + r.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] pick = Arrays.copyOf(all, maxEntries);
        Arrays.sort(pick);
        return pick;
    }

    private void reseedDropouts() {
        List<Dropout> drops = new ArrayList<>();
        collectDropouts(layer, drops);
        for (int i = 0; i < drops.size(); i++) {
            drops.get(i).reseed(seed + 1000L * (i + 1));
        }
    }

    private static void collectDropouts(Layer l, List<Dropout> out) {
        if (l instanceof Dropout d) {
            out.add(d);
        }
        for (Layer.Child c : l.children()) {
            collectDropouts(c.layer(), out);
        }
    }

    private static List<NamedParam> collectParams(Layer l, String prefix) {
        List<NamedParam> out = new ArrayList<>();
        for (Param p : l.params()) {
            out.add(new NamedParam(prefix + p.name(), p));
        }
        for (Layer.Child c : l.children()) {
            out.addAll(collectParams(c.layer(), prefix + c.name() + "."));
        }
        return out;
    }

    private static int[] unravel(int flat, Shape shape) {
        int[] idx = new int[shape.rank()];
        int rest = flat;
        for (int d = shape.rank() - 1; d >= 0; d--) {
            idx[d] = rest % shape.dim(d);
            rest /= shape.dim(d);
        }
        return idx;
    }

    /** Uniform values in {@code [-1, -margin] u [margin, 1]}: clear of the ReLU kink for steps below {@code margin}. */
    public static Tensor awayFromZero(Shape shape, double margin, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            double v = margin + (1 - margin) * r.nextDouble();
            d[i] = (float) (r.nextBoolean() ? v : -v);
        }
        return new Tensor(shape, d);
    }

    /**
     * All values distinct, spaced {@code gap} apart in a random order and centred on 0: max-pool ties cannot
     * appear for steps below {@code gap / 2}.
     */
    public static Tensor distinct(Shape shape, double gap, long seed) {
        int n = shape.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) ((perm[i] - (n - 1) / 2.0) * gap);
        }
        return new Tensor(shape, d);
    }

    /** Uniform values in {@code [lo, hi)}, for parameters and smooth layers. */
    public static Tensor uniform(Shape shape, double lo, double hi, long seed) {
        return Tensor.uniform(shape, (float) lo, (float) hi, seed);
    }

    /** Fills {@code p} with uniform values in {@code [lo, hi)}. */
    public static void randomize(Param p, double lo, double hi, long seed) {
        float[] src = uniform(p.value().shape(), lo, hi, seed).data();
        System.arraycopy(src, 0, p.value().data(), 0, src.length);
    }

    /** Fills every parameter in the layer tree with uniform values in {@code [lo, hi)}, each from its own seed. */
    public static void randomizeAll(Layer l, double lo, double hi, long seed) {
        List<NamedParam> ps = collectParams(l, "");
        for (int i = 0; i < ps.size(); i++) {
            randomize(ps.get(i).param(), lo, hi, seed + 7919L * (i + 1));
        }
    }
}
