package dev.fovea.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense float32 tensor in row-major order (NCHW for image batches). The array is exposed on purpose: kernels
 * and layers read and write it directly; everything else treats tensors as values and copies before changing.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new ShapeException("tensor: expected " + shape.size() + " values for shape " + shape + ", got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    public static Tensor full(Shape shape, float value) {
        float[] d = new float[shape.size()];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    /** Uniform values in [lo, hi) from the given seed. */
    public static Tensor uniform(Shape shape, float lo, float hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return new Tensor(shape, d);
    }

    public Shape shape() {
        return shape;
    }

    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The same values under another shape of equal size (shares the array). */
    public Tensor reshape(Shape s) {
        if (s.size() != shape.size()) {
            throw new ShapeException("reshape: expected a shape of " + shape.size() + " elements for " + shape + ", got " + s);
        }
        return new Tensor(s, data);
    }

    public Tensor reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** Samples {@code [from, to)} of the first dimension, copied. */
    public Tensor slice(int from, int to) {
        int n = shape.dim(0);
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("slice: expected 0 <= from <= to <= " + n + ", got " + from + ".." + to);
        }
        int per = shape.sizeFrom(1);
        int[] d = shape.dims();
        d[0] = to - from;
        return new Tensor(Shape.of(d), Arrays.copyOfRange(data, from * per, to * per));
    }

    /** Gathers the given samples of the first dimension into a new tensor. */
    public Tensor gather(int[] indices) {
        int per = shape.sizeFrom(1);
        int[] d = shape.dims();
        d[0] = indices.length;
        float[] out = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * per, out, i * per, per);
        }
        return new Tensor(Shape.of(d), out);
    }

    public float get(int... idx) {
        return data[offset(idx)];
    }

    public void set(float v, int... idx) {
        data[offset(idx)] = v;
    }

    private int offset(int[] idx) {
        if (idx.length != shape.rank()) {
            throw new ShapeException("tensor index: expected " + shape.rank() + " indices for " + shape + ", got " + idx.length);
        }
        int off = 0;
        for (int i = 0; i < idx.length; i++) {
            int d = shape.dim(i);
            if (idx[i] < 0 || idx[i] >= d) {
                throw new IndexOutOfBoundsException("tensor index: " + Arrays.toString(idx) + " outside " + shape);
            }
            off = off * d + idx[i];
        }
        return off;
    }

    /** Index of the largest value in each row of a {@code [N,K]} tensor. */
    public int[] argmaxRows() {
        shape.requireRank(2, "argmax", "[N,K]");
        int n = shape.dim(0);
        int k = shape.dim(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (data[i * k + j] > data[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** True when every value is finite. */
    public boolean allFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
