package dev.fovea.nn;

import dev.fovea.kernels.Im2Col;
import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * Max pooling over {@code K x K} windows with stride {@code S} and padding {@code P} (padding never wins).
 * Forward records the position of each maximum (the first one on ties, as PyTorch); backward sends each output
 * gradient to that position only.
 */
public final class MaxPool2d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private int[] argmax;
    private Shape inShape;

    public MaxPool2d(int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("maxpool2d: expected kernel > 0, stride > 0, 0 <= padding <= kernel/2, got kernel="
                    + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public String type() {
        return "maxpool2d";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Pooling.outputShape("maxpool2d", in, kernel, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        float[] in = x.data();
        float[] y = outputArray(out.size());
        int[] arg = argmax != null && argmax.length == out.size() ? argmax : new int[out.size()];
        Parallel.forRange(planes, Math.max(1, (1 << 14) / (h * w)), (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int base = pl * h * w;
                if (kernel == 2 && stride == 2 && padding == 0) {
                    pool2x2(in, base, w, y, arg, pl * oh * ow, oh, ow);
                    continue;
                }
                for (int i = 0; i < oh; i++) {
                    int iy0 = i * stride - padding;
                    boolean rowInside = iy0 >= 0 && iy0 + kernel <= h;
                    for (int j = 0; j < ow; j++) {
                        int ix0 = j * stride - padding;
                        int o = (pl * oh + i) * ow + j;
                        int at = rowInside && ix0 >= 0 && ix0 + kernel <= w ? inside(in, base + iy0 * w + ix0, w, kernel) : -1;
                        if (at < 0) {
                            at = window(in, base, h, w, iy0, ix0, kernel);
                        }
                        y[o] = in[at];
                        arg[o] = at;
                    }
                }
            }
        });
        argmax = arg;
        inShape = x.shape();
        return new Tensor(out, y);
    }

    /**
     * The position of the maximum of the window of {@code kernel x kernel} inputs whose top left is at {@code y0, x0}
     * (may lie in the padding, which never wins) in the plane at {@code base}: the first maximum in row-major order,
     * or the last NaN when there is one, as PyTorch's {@code max_pool2d} picks.
     */
    private static int window(float[] in, int base, int h, int w, int y0, int x0, int kernel) {
        float best = Float.NEGATIVE_INFINITY;
        int bestAt = -1;
        for (int u = 0; u < kernel; u++) {
            int iy = y0 + u;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int v = 0; v < kernel; v++) {
                int ix = x0 + v;
                if (ix < 0 || ix >= w) {
                    continue;
                }
                float val = in[base + iy * w + ix];
                if (val > best || bestAt < 0 || Float.isNaN(val)) {
                    best = val;
                    bestAt = base + iy * w + ix;
                }
            }
        }
        return bestAt;
    }

    /**
     * {@link #window} for a window wholly inside the plane, its top left at {@code at}, without data-dependent
     * branches: the maximum by {@link Math#max}, then the first position holding it found by selects from the last
     * to the first, so that random signs cost no mispredicted branches. A window with a NaN (rare) gives -1, for
     * {@link #window} to take.
     */
    private static int inside(float[] in, int at, int w, int kernel) {
        if (kernel == 3) {
            return inside3(in, at, w);
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int u = 0; u < kernel; u++) {
            int r = at + u * w;
            for (int v = 0; v < kernel; v++) {
                m = Math.max(m, in[r + v]);
            }
        }
        if (m != m) {
            return -1;
        }
        int k = at;
        for (int u = kernel - 1; u >= 0; u--) {
            int r = at + u * w;
            for (int v = kernel - 1; v >= 0; v--) {
                k = in[r + v] == m ? r + v : k;
            }
        }
        return k;
    }

    /** {@link #inside} for the 3x3 window of the ImageNet ResNets' stem, written out. */
    private static int inside3(float[] in, int at, int w) {
        int r1 = at + w;
        int r2 = r1 + w;
        float a0 = in[at], a1 = in[at + 1], a2 = in[at + 2];
        float b0 = in[r1], b1 = in[r1 + 1], b2 = in[r1 + 2];
        float c0 = in[r2], c1 = in[r2 + 1], c2 = in[r2 + 2];
        float m = Math.max(Math.max(Math.max(a0, a1), Math.max(a2, b0)), Math.max(Math.max(b1, b2), Math.max(Math.max(c0, c1), c2)));
        if (m != m) {
            return -1;
        }
        int k = r2 + 2;
        k = c1 == m ? r2 + 1 : k;
        k = c0 == m ? r2 : k;
        k = b2 == m ? r1 + 2 : k;
        k = b1 == m ? r1 + 1 : k;
        k = b0 == m ? r1 : k;
        k = a2 == m ? at + 2 : k;
        k = a1 == m ? at + 1 : k;
        return a0 == m ? at : k;
    }

    /**
     * The common 2x2 window with stride 2, same choice as the general loop (first maximum, a NaN wins), without
     * data-dependent branches: the maximum by {@link Math#max} (a NaN wins), the first entry equal to it picked by
     * selects, so random signs cost no mispredicted branches (a window with a NaN, rare, takes the first NaN).
     */
    private static void pool2x2(float[] in, int base, int w, float[] y, int[] arg, int out, int oh, int ow) {
        for (int i = 0; i < oh; i++) {
            int r0 = base + 2 * i * w;
            int o = out + i * ow;
            for (int j = 0; j < ow; j++) {
                int at = r0 + 2 * j;
                float a = in[at];
                float b = in[at + 1];
                float c = in[at + w];
                float d = in[at + w + 1];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                int k;
                if (m == m) {
                    k = c == m ? at + w : at + w + 1;
                    k = b == m ? at + 1 : k;
                    k = a == m ? at : k;
                } else {
                    k = a != a ? at : b != b ? at + 1 : c != c ? at + w : at + w + 1;
                }
                y[o + j] = in[k];
                arg[o + j] = k;
            }
        }
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return route(gradOut, inputGradientArray(inShape.size()));
    }

    /**
     * {@code values} shaped as the last forward pass's output, each sent to the position of its window's maximum in
     * that pass's input (summed where windows share one), in a new array: the backward pass without its side effects,
     * for rules that route other quantities than the gradient (DeepLift's maximum rule). May be called many times.
     */
    public Tensor route(Tensor values) {
        if (inShape == null || values.size() != argmax.length) {
            throw new IllegalArgumentException("maxpool2d: expected values shaped as the last output (" + (argmax == null ? 0 : argmax.length)
                    + " values), got " + values.shape());
        }
        return route(values, new float[inShape.size()]);
    }

    private Tensor route(Tensor gradOut, float[] dx) {
        float[] g = gradOut.data();
        int[] arg = argmax;
        int planes = inShape.dim(0) * inShape.dim(1);
        int in = inShape.dim(2) * inShape.dim(3);
        int out = g.length / planes;
        // plane by plane across the workers: a plane's outputs point into that plane's inputs only
        Parallel.forRange(planes, Math.max(1, (1 << 14) / in), (p0, p1) -> {
            java.util.Arrays.fill(dx, p0 * in, p1 * in, 0f);
            for (int o = p0 * out; o < p1 * out; o++) {
                dx[arg[o]] += g[o];
            }
        });
        return new Tensor(inShape, dx);
    }

    @Override
    public int[] spatialKernelStride() {
        return new int[] {kernel, stride, padding};
    }

    @Override
    public String describe() {
        return "maxpool2d k" + kernel + " s" + stride + (padding > 0 ? " p" + padding : "");
    }

    static int outSize(int in, int k, int s, int p) {
        return Im2Col.outSize(in, k, s, p);
    }
}
