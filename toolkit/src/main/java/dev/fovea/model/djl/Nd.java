package dev.fovea.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.fovea.model.ModelInfo;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/** Conversions between fovea tensors and DJL arrays, and the pixel normalisation on libtorch. */
final class Nd {
    private Nd() {
    }

    static NDArray of(NDManager m, Tensor t) {
        return m.create(t.data(), new ai.djl.ndarray.types.Shape(longs(t.shape().dims())));
    }

    static Tensor tensor(NDArray a) {
        long[] s = a.getShape().getShape();
        int[] d = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Math.toIntExact(s[i]);
        }
        return new Tensor(Shape.of(d), a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
    }

    static long[] longs(int[] d) {
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /** {@code (x - mean) / std} per channel of {@code [N,C,H,W]}. */
    static NDArray normalize(NDManager m, NDArray x, ModelInfo info) {
        int c = info.inputShape().dim(0);
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int i = 0; i < c; i++) {
            mean[i] = info.meanOf(i);
            std[i] = info.stdOf(i);
        }
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(1, c, 1, 1);
        return x.sub(m.create(mean, s)).div(m.create(std, s));
    }

    /** {@code sum(a * seed)}: the scalar whose gradient with respect to {@code a} is {@code seed}. */
    static NDArray seeded(NDManager m, NDArray a, Tensor seed) {
        return a.mul(of(m, seed)).sum();
    }
}
