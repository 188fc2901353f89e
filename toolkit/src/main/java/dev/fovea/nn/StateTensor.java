package dev.fovea.nn;

import dev.fovea.tensor.Shape;

/**
 * One entry of a layer's state as PyTorch's {@code state_dict} would hold it: float32 values (weights, running
 * statistics) or int64 values ({@code num_batches_tracked}). The arrays are the layer's own, so loading writes
 * straight into the layer.
 */
public record StateTensor(String name, Shape shape, float[] floats, long[] longs) {
    public static StateTensor of(String name, Shape shape, float[] values) {
        return new StateTensor(name, shape, values, null);
    }

    public static StateTensor ofLongs(String name, Shape shape, long[] values) {
        return new StateTensor(name, shape, null, values);
    }

    /** The safetensors dtype name: {@code F32} or {@code I64}. */
    public String dtype() {
        return floats != null ? "F32" : "I64";
    }

    public StateTensor renamed(String n) {
        return new StateTensor(n, shape, floats, longs);
    }
}
