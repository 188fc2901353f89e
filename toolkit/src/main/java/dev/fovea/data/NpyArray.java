package dev.fovea.data;

import dev.fovea.tensor.Shape;

import java.util.Arrays;

/**
 * An array read from a {@code .npy} file: its NumPy dtype as written in the header ({@code "<f4"}, {@code "|u1"},
 * ...), its shape, and its values in C order, held in {@code floats} for floating-point dtypes (float64 narrowed
 * to float32) or in {@code longs} for integer and boolean dtypes; the other array is {@code null}. As with any
 * record of arrays, {@code equals} compares the arrays by identity.
 */
public record NpyArray(String dtype, int[] shape, float[] floats, long[] longs) {
    public NpyArray {
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("npy array: expected exactly one of floats and longs, got "
                    + (floats == null ? "neither" : "both"));
        }
        shape = shape.clone();
        long size = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
        int length = floats != null ? floats.length : longs.length;
        if (size != length) {
            throw new IllegalArgumentException("npy array: expected " + size + " values for shape " + Arrays.toString(shape)
                    + ", got " + length);
        }
    }

    /** True when the values are in {@link #floats()}. */
    public boolean isFloat() {
        return floats != null;
    }

    public int rank() {
        return shape.length;
    }

    /** Number of values. */
    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The shape as a {@link Shape}. */
    public Shape toShape() {
        return Shape.of(shape);
    }

    /** The values as a float32 tensor of this shape (integers converted). */
    public dev.fovea.tensor.Tensor toTensor() {
        float[] v = floats;
        if (v == null) {
            v = new float[longs.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = longs[i];
            }
        }
        return new dev.fovea.tensor.Tensor(toShape(), v);
    }

    /** The dtype and shape, as in error messages: {@code <f4 [2,28,28]}. */
    public String describe() {
        return dtype + " " + Shape.of(shape);
    }

    @Override
    public String toString() {
        return "NpyArray" + "(" + describe() + ")";
    }
}
