package dev.fovea.nn;

import dev.fovea.kernels.Elementwise;
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
            float[] colMax = new float[w];
            float[] colRow = new float[w];
            float[] split = new float[w + 1];
            float[] splitAt = new float[w + 1];
            float[] rowMax = new float[ow];
            float[] rowAt = new float[ow];
            for (int pl = p0; pl < p1; pl++) {
                int base = pl * h * w;
                if (kernel == 2 && stride == 2 && padding == 0) {
                    pool2x2(in, base, w, y, arg, pl * oh * ow, oh, ow);
                    continue;
                }
                if (Elementwise.hasNaN(in, base, base + h * w)) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int o = (pl * oh + i) * ow + j;
                            int at = window(in, base, h, w, i * stride - padding, j * stride - padding, kernel);
                            y[o] = in[at];
                            arg[o] = at;
                        }
                    }
                    continue;
                }
                separable(in, base, h, w, pl * oh * ow, oh, ow, y, arg, colMax, colRow, split, splitAt, rowMax, rowAt);
            }
        });
        argmax = arg;
        inShape = x.shape();
        return new Tensor(out, y);
    }

    /**
     * A plane without NaNs in two passes: per output row, the columns' maxima over the window's rows (vectors along
     * the row) and the first row holding each, then per output the window's columns, the largest maximum winning and
     * on a tie the one from the earlier row, then the earlier column: the first maximum in row-major order, as
     * {@link #window} finds it.
     */
    private void separable(float[] in, int base, int h, int w, int out, int oh, int ow, float[] y, int[] arg, float[] colMax, float[] colRow,
                           float[] split, float[] splitAt, float[] rowMax, float[] rowAt) {
        for (int i = 0; i < oh; i++) {
            int y0 = Math.max(0, i * stride - padding);
            int y1 = Math.min(h, i * stride - padding + kernel);
            Elementwise.maxRows(in, base + y0 * w, y1 - y0, w, w, colMax, colRow);
            int o = out + i * ow;
            int from = 0;
            int to = 0;
            if (kernel == 3 && stride == 2 && padding <= 1 && h * w < 1 << 24) {
                // outputs whose three columns lie inside the row: columns 2j-P, 2j-P+1, 2j-P+2 from the even and odd
                // columns, side by side, their positions (row * W + column, exact in a float) breaking ties
                from = padding;
                to = Math.max(from, Math.min(ow, (w - 3 + padding) / 2 + 1));
                int half = (w + 1) / 2;
                for (int x = 0; x < w; x++) {
                    int k = (x & 1) * half + (x >> 1);
                    split[k] = colMax[x];
                    splitAt[k] = (y0 + colRow[x]) * w + x;
                }
                if (padding == 1) {
                    Elementwise.maxOf3(split, splitAt, half + from - 1, split, splitAt, from, split, splitAt, half + from, to - from, rowMax,
                            rowAt, 0);
                } else {
                    Elementwise.maxOf3(split, splitAt, from, split, splitAt, half + from, split, splitAt, from + 1, to - from, rowMax, rowAt, 0);
                }
                for (int j = from; j < to; j++) {
                    int at = base + (int) rowAt[j - from];
                    y[o + j] = in[at];
                    arg[o + j] = at;
                }
            }
            for (int j = 0; j < ow; j++) {
                if (j == from && to > from) {
                    j = to - 1;
                    continue;
                }
                int x0 = Math.max(0, j * stride - padding);
                int x1 = Math.min(w, j * stride - padding + kernel);
                int bx = x0;
                float best = colMax[x0];
                float row = colRow[x0];
                for (int x = x0 + 1; x < x1; x++) {
                    float v = colMax[x];
                    float r = colRow[x];
                    boolean take = v > best || v == best && r < row;
                    bx = take ? x : bx;
                    best = take ? v : best;
                    row = take ? r : row;
                }
                int at = base + (y0 + (int) row) * w + bx;
                y[o + j] = in[at];
                arg[o + j] = at;
            }
        }
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
