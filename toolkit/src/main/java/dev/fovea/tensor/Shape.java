package dev.fovea.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape, outermost dimension first ({@code [N,C,H,W]} for image batches).
 */
public final class Shape {
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        long s = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("shape: expected non-negative dimensions, got " + Arrays.toString(dims));
            }
            s = d == 0 ? 0 : s;
        }
        for (int d : dims) {
            s *= d; // both factors below 2^31 while s is non-zero: no overflow
            if (s > Integer.MAX_VALUE) {
                throw new ShapeException("shape: " + format(dims) + " has more than 2^31-1 elements");
            }
        }
        this.dims = dims;
        this.size = s;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        return (int) size;
    }

    /** The shape without its first dimension (the per-sample shape of a batch). */
    public Shape tail() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** This shape with {@code n} put in front (a batch of this per-sample shape). */
    public Shape withBatch(int n) {
        int[] d = new int[dims.length + 1];
        d[0] = n;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** Product of the dimensions from {@code from} on. */
    public int sizeFrom(int from) {
        int s = 1;
        for (int i = from; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /** Parses {@code "1,28,28"} or {@code "[1,28,28]"}. */
    public static Shape parse(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        String[] parts = t.split("[,x]");
        int[] d = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                d[i] = Integer.parseInt(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape: expected comma-separated integers like 1,28,28, got '" + text + "'");
        }
        return new Shape(d);
    }

    /** Throws a {@link ShapeException} naming {@code where} unless this shape has the given rank. */
    public Shape requireRank(int rank, String where, String layout) {
        if (dims.length != rank) {
            throw new ShapeException(where + ": expected " + layout + ", got " + this);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return format(dims);
    }

    private static String format(int[] d) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < d.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(d[i]);
        }
        return b.append(']').toString();
    }
}
