package dev.fovea.explain.visualize;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * A per-sample affine resampling of an image batch {@code [N,C,H,W]}: translation (jitter), scaling and rotation
 * about the image centre, by bilinear interpolation with zeros outside the image. Output pixel {@code p}
 * (centred coordinates) reads the input at {@code R(-angle) (p - t) / scale}. It is linear in the image, so
 * {@link #adjoint} (its transpose, scattering with the same weights) carries a gradient at the output back to
 * the input exactly: {@code <T x, y> = <x, T^T y>}.
 */
public final class Warp {
    private final Shape shape;
    /** Per sample and output pixel: four source indices in the plane (-1 outside) and their weights. */
    private final int[] src;
    private final float[] weight;

    private Warp(Shape shape, int[] src, float[] weight) {
        this.shape = shape;
        this.src = src;
        this.weight = weight;
    }

    /**
     * A warp for batches of {@code shape} ({@code [N,C,H,W]}), one transform per sample: shifts {@code dy, dx} in
     * pixels, {@code scale} (greater than 0) and {@code degrees} of rotation, counter-clockwise.
     */
    public static Warp of(Shape shape, double[] dy, double[] dx, double[] scale, double[] degrees) {
        shape.requireRank(4, "warp", "[N,C,H,W]");
        int n = shape.dim(0);
        if (dy.length != n || dx.length != n || scale.length != n || degrees.length != n) {
            throw new IllegalArgumentException("warp: expected " + n + " shifts, scales and angles for " + shape + ", got "
                    + dy.length + ", " + dx.length + ", " + scale.length + ", " + degrees.length);
        }
        int h = shape.dim(2);
        int w = shape.dim(3);
        int[] src = new int[n * h * w * 4];
        float[] wt = new float[n * h * w * 4];
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            if (!(scale[i] > 0)) {
                throw new IllegalArgumentException("warp: expected a positive scale, got " + scale[i]);
            }
            double a = Math.toRadians(degrees[i]);
            double cos = Math.cos(a);
            double sin = Math.sin(a);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double py = y - cy - dy[i];
                    double px = x - cx - dx[i];
                    double sy = (cos * py - sin * px) / scale[i] + cy;
                    double sx = (sin * py + cos * px) / scale[i] + cx;
                    int y0 = (int) Math.floor(sy);
                    int x0 = (int) Math.floor(sx);
                    double fy = sy - y0;
                    double fx = sx - x0;
                    int o = ((i * h + y) * w + x) * 4;
                    put(src, wt, o, y0, x0, (1 - fy) * (1 - fx), h, w);
                    put(src, wt, o + 1, y0, x0 + 1, (1 - fy) * fx, h, w);
                    put(src, wt, o + 2, y0 + 1, x0, fy * (1 - fx), h, w);
                    put(src, wt, o + 3, y0 + 1, x0 + 1, fy * fx, h, w);
                }
            }
        }
        return new Warp(shape, src, wt);
    }

    private static void put(int[] src, float[] wt, int o, int y, int x, double weight, int h, int w) {
        boolean inside = y >= 0 && y < h && x >= 0 && x < w;
        src[o] = inside ? y * w + x : -1;
        wt[o] = inside ? (float) weight : 0f;
    }

    /** The identity warp. */
    public static Warp identity(Shape shape) {
        int n = shape.dim(0);
        double[] zero = new double[n];
        double[] one = new double[n];
        java.util.Arrays.fill(one, 1);
        return of(shape, zero, zero, one, zero);
    }

    /** {@code T x}. */
    public Tensor apply(Tensor x) {
        check(x, "warp");
        int n = shape.dim(0);
        int c = shape.dim(1);
        int hw = shape.dim(2) * shape.dim(3);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * hw;
                for (int p = 0; p < hw; p++) {
                    int o = (i * hw + p) * 4;
                    double v = 0;
                    for (int k = 0; k < 4; k++) {
                        if (src[o + k] >= 0) {
                            v += weight[o + k] * in[plane + src[o + k]];
                        }
                    }
                    out[plane + p] = (float) v;
                }
            }
        }
        return new Tensor(shape, out);
    }

    /** {@code T^T g}: the gradient at the input from the gradient {@code g} at the output. */
    public Tensor adjoint(Tensor g) {
        check(g, "warp adjoint");
        int n = shape.dim(0);
        int c = shape.dim(1);
        int hw = shape.dim(2) * shape.dim(3);
        float[] in = g.data();
        float[] out = new float[in.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int plane = (i * c + ch) * hw;
                for (int p = 0; p < hw; p++) {
                    int o = (i * hw + p) * 4;
                    float v = in[plane + p];
                    for (int k = 0; k < 4; k++) {
                        if (src[o + k] >= 0) {
                            out[plane + src[o + k]] += weight[o + k] * v;
                        }
                    }
                }
            }
        }
        return new Tensor(shape, out);
    }

    private void check(Tensor t, String where) {
        if (!t.shape().equals(shape)) {
            throw new ShapeException(where + ": expected " + shape + ", got " + t.shape());
        }
    }
}
