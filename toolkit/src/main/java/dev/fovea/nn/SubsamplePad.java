package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * The parameter-free shortcut "option A" of He et al. 2016 ("Deep Residual Learning for Image Recognition",
 * section 4.2, the CIFAR-10 ResNets): every {@code stride}-th row and column of the input, with {@code pad} zero
 * channels added before and after the input's, so that a residual block that subsamples and widens its map can
 * add its input without a projection. {@code [N,C,H,W] -> [N, C + 2 pad, ceil(H/s), ceil(W/s)]}; in PyTorch
 * {@code F.pad(x[:, :, ::s, ::s], (0, 0, 0, 0, pad, pad))}. Backward sends each output gradient to the pixel it
 * was taken from; the skipped pixels get zero, the added channels have no source.
 */
public final class SubsamplePad extends Layer {
    private final int stride;
    private final int pad;
    private Shape inShape;

    /** {@code stride >= 1} rows and columns, {@code pad >= 0} zero channels on each side of the channel axis. */
    public SubsamplePad(int stride, int pad) {
        if (stride < 1 || pad < 0) {
            throw new IllegalArgumentException("subsample_pad: expected stride >= 1 and pad >= 0, got stride=" + stride + " pad=" + pad);
        }
        this.stride = stride;
        this.pad = pad;
    }

    public int stride() {
        return stride;
    }

    /** Zero channels added on each side. */
    public int pad() {
        return pad;
    }

    @Override
    public String type() {
        return "subsample_pad";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4) {
            throw new ShapeException("subsample_pad: expected input [N,C,H,W], got " + in);
        }
        return Shape.of(in.dim(0), in.dim(1) + 2 * pad, (in.dim(2) - 1) / stride + 1, (in.dim(3) - 1) / stride + 1);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oc = out.dim(1);
        int oh = out.dim(2);
        int ow = out.dim(3);
        int plane = oh * ow;
        float[] in = x.data();
        float[] y = outputArray(out.size());
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(y, b * oc * plane, (b * oc + pad) * plane, 0f);
            java.util.Arrays.fill(y, (b * oc + pad + c) * plane, (b + 1) * oc * plane, 0f);
            for (int ch = 0; ch < c; ch++) {
                int src = (b * c + ch) * h * w;
                int dst = (b * oc + pad + ch) * plane;
                for (int i = 0; i < oh; i++) {
                    int row = src + i * stride * w;
                    for (int j = 0; j < ow; j++) {
                        y[dst + i * ow + j] = in[row + j * stride];
                    }
                }
            }
        }
        inShape = x.shape();
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (inShape == null) {
            throw new IllegalStateException("subsample_pad: backward before forward");
        }
        Shape out = outputShape(inShape);
        if (!gradOut.shape().equals(out)) {
            throw new ShapeException("subsample_pad: expected gradient " + out + ", got " + gradOut.shape());
        }
        int n = inShape.dim(0);
        int c = inShape.dim(1);
        int h = inShape.dim(2);
        int w = inShape.dim(3);
        int oc = out.dim(1);
        int oh = out.dim(2);
        int ow = out.dim(3);
        float[] g = gradOut.data();
        float[] dx = inputGradientArray(inShape.size());
        java.util.Arrays.fill(dx, 0f);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int dst = (b * c + ch) * h * w;
                int src = (b * oc + pad + ch) * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int row = dst + i * stride * w;
                    for (int j = 0; j < ow; j++) {
                        dx[row + j * stride] = g[src + i * ow + j];
                    }
                }
            }
        }
        return new Tensor(inShape, dx);
    }

    /** A 1x1 window with this stride and no padding, for receptive-field arithmetic. */
    @Override
    public int[] spatialKernelStride() {
        return new int[] {1, stride, 0};
    }

    @Override
    public String describe() {
        return "subsample_pad s" + stride + " pad " + pad;
    }
}
