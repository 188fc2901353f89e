package dev.fovea.nn;

import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * Average pooling over {@code K x K} windows with stride {@code S} and zero padding {@code P}; the divisor is
 * always {@code K*K} (PyTorch's default {@code count_include_pad=True}).
 */
public final class AvgPool2d extends Layer {
    private final int kernel;
    private final int stride;
    private final int padding;
    private Shape inShape;

    public AvgPool2d(int kernel, int stride, int padding) {
        if (kernel <= 0 || stride <= 0 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("avgpool2d: expected kernel > 0, stride > 0, 0 <= padding <= kernel/2, got kernel="
                    + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public String type() {
        return "avgpool2d";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Pooling.outputShape("avgpool2d", in, kernel, stride, padding);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        float inv = 1f / (kernel * kernel);
        float[] in = x.data();
        float[] y = outputArray(out.size());
        boolean pairs = kernel == 2 && stride == 2 && padding == 0;
        Parallel.forRange(planes, Math.max(1, (1 << 14) / (h * w)), (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int base = pl * h * w;
                if (pairs) {
                    // the common 2x2 window, summed in the general loop's order
                    for (int i = 0; i < oh; i++) {
                        int r0 = base + 2 * i * w;
                        int o = (pl * oh + i) * ow;
                        for (int j = 0; j < ow; j++) {
                            int at = r0 + 2 * j;
                            y[o + j] = (((0f + in[at]) + in[at + 1]) + in[at + w] + in[at + w + 1]) * inv;
                        }
                    }
                    continue;
                }
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float s = 0;
                        for (int u = 0; u < kernel; u++) {
                            int iy = i * stride - padding + u;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int v = 0; v < kernel; v++) {
                                int ix = j * stride - padding + v;
                                if (ix >= 0 && ix < w) {
                                    s += in[base + iy * w + ix];
                                }
                            }
                        }
                        y[(pl * oh + i) * ow + j] = s * inv;
                    }
                }
            }
        });
        inShape = x.shape();
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int planes = inShape.dim(0) * inShape.dim(1);
        int h = inShape.dim(2);
        int w = inShape.dim(3);
        int oh = gradOut.dim(2);
        int ow = gradOut.dim(3);
        float inv = 1f / (kernel * kernel);
        float[] g = gradOut.data();
        float[] dx = inputGradientArray(inShape.size());
        boolean pairs = kernel == 2 && stride == 2 && padding == 0;
        if (!pairs || h % 2 != 0 || w % 2 != 0) {
            java.util.Arrays.fill(dx, 0f);
        }
        Parallel.forRange(planes, Math.max(1, (1 << 14) / (h * w)), (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) {
                int base = pl * h * w;
                if (pairs) {
                    // every input pixel in at most one window: each gets its window's share, no sums
                    for (int i = 0; i < oh; i++) {
                        int r0 = base + 2 * i * w;
                        int o = (pl * oh + i) * ow;
                        for (int j = 0; j < ow; j++) {
                            float gv = g[o + j] * inv;
                            int at = r0 + 2 * j;
                            dx[at] = gv;
                            dx[at + 1] = gv;
                            dx[at + w] = gv;
                            dx[at + w + 1] = gv;
                        }
                    }
                    continue;
                }
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float gv = g[(pl * oh + i) * ow + j] * inv;
                        for (int u = 0; u < kernel; u++) {
                            int iy = i * stride - padding + u;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            for (int v = 0; v < kernel; v++) {
                                int ix = j * stride - padding + v;
                                if (ix >= 0 && ix < w) {
                                    dx[base + iy * w + ix] += gv;
                                }
                            }
                        }
                    }
                }
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
        return "avgpool2d k" + kernel + " s" + stride + (padding > 0 ? " p" + padding : "");
    }
}
