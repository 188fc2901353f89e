package dev.fovea.nn;

import dev.fovea.kernels.Gemm;
import dev.fovea.kernels.Im2Col;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * 2-D convolution as deep-learning frameworks define it (cross-correlation, as PyTorch's {@code nn.Conv2d}):
 * {@code y[n,o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] * x[n,c,i*S-P+u,j*S-P+v]}.
 *
 * <p>Input {@code [N,Cin,H,W]}, weight {@code [Cout,Cin,K,K]}, output {@code [N,Cout,OH,OW]} with
 * {@code OH = (H-K+2P)/S+1}. Forward is {@code W x im2col(x)}; the weight gradient is {@code G x im2col(x)^T}
 * and the input gradient {@code col2im(W^T x G)}: all three through {@link Gemm}.
 */
public final class Conv2d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Param weight;
    private final Param bias;

    private Shape inShape;
    private float[] col;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("conv2d: expected positive channels, kernel and stride and non-negative padding, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = new Param("weight", Tensor.zeros(outChannels, inChannels, kernel, kernel));
        this.bias = bias ? new Param("bias", Tensor.zeros(outChannels)) : null;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    @Override
    public String type() {
        return "conv2d";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4 || in.dim(1) != inChannels) {
            throw new ShapeException("conv2d: expected input [N," + inChannels + ",H,W], got " + in);
        }
        int oh = Im2Col.outSize(in.dim(2), kernel, stride, padding);
        int ow = Im2Col.outSize(in.dim(3), kernel, stride, padding);
        if (in.dim(2) + 2 * padding < kernel || in.dim(3) + 2 * padding < kernel) {
            throw new ShapeException("conv2d: expected an input of at least " + kernel + "x" + kernel + " after padding, got " + in);
        }
        return Shape.of(in.dim(0), outChannels, oh, ow);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = out.dim(2);
        int ow = out.dim(3);
        int ckk = inChannels * kernel * kernel;
        int cols = n * oh * ow;
        if (col == null || col.length != ckk * cols) {
            col = new float[ckk * cols];
        }
        Im2Col.im2col(x.data(), n, inChannels, h, w, kernel, kernel, stride, padding, col);
        float[] y2 = new float[outChannels * cols];
        Gemm.gemm(false, false, outChannels, cols, ckk, 1f, weight.value().data(), 0, ckk, col, 0, cols, 0f, y2, 0, cols);
        inShape = x.shape();
        return new Tensor(out, Layout.channelsMajorToBatch(y2, n, outChannels, oh * ow, bias == null ? null : bias.value().data()));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (inShape == null) {
            throw new IllegalStateException("conv2d: backward needs a forward pass first");
        }
        int n = inShape.dim(0);
        int oh = gradOut.dim(2);
        int ow = gradOut.dim(3);
        int ckk = inChannels * kernel * kernel;
        int cols = n * oh * ow;
        float[] g2 = Layout.batchToChannelsMajor(gradOut.data(), n, outChannels, oh * ow);
        Gemm.gemm(false, true, outChannels, ckk, cols, 1f, g2, 0, cols, col, 0, cols, 1f, weight.grad().data(), 0, ckk);
        if (bias != null) {
            Layout.addRowSums(g2, outChannels, cols, bias.grad().data());
        }
        float[] dcol = col;
        Gemm.gemm(true, false, ckk, cols, outChannels, 1f, weight.value().data(), 0, ckk, g2, 0, cols, 0f, dcol, 0, cols);
        float[] dx = new float[inShape.size()];
        Im2Col.col2im(dcol, n, inChannels, inShape.dim(2), inShape.dim(3), kernel, kernel, stride, padding, dx);
        Shape in = inShape;
        inShape = null;
        return new Tensor(in, dx);
    }

    @Override
    public List<Param> params() {
        return present(weight, bias);
    }

    @Override
    public long macs(Shape in) {
        Shape o = outputShape(in);
        return (long) o.sizeFrom(1) * inChannels * kernel * kernel;
    }

    @Override
    public int[] spatialKernelStride() {
        return new int[] {kernel, stride, padding};
    }

    @Override
    public String describe() {
        return "conv2d " + inChannels + "->" + outChannels + " k" + kernel + " s" + stride + " p" + padding + (bias == null ? " no-bias" : "");
    }
}
