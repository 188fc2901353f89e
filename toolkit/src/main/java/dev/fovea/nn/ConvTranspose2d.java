package dev.fovea.nn;

import dev.fovea.kernels.Gemm;
import dev.fovea.kernels.Im2Col;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Transposed convolution (PyTorch's {@code nn.ConvTranspose2d}): multiplication by the transpose of the
 * convolution matrix, which maps each input pixel to a {@code K x K} patch of the output. Its forward pass is
 * the input-gradient pass of {@link Conv2d} and its input gradient is a convolution.
 *
 * <p>Input {@code [N,Cin,H,W]}, weight {@code [Cin,Cout,K,K]}, output {@code [N,Cout,OH,OW]} with
 * {@code OH = (H-1)*S - 2P + K}.
 */
public final class ConvTranspose2d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Param weight;
    private final Param bias;

    private Shape inShape;
    private float[] x2;

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("conv_transpose2d: expected positive channels, kernel and stride and non-negative padding, got in="
                    + inChannels + " out=" + outChannels + " kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.weight = new Param("weight", Tensor.zeros(inChannels, outChannels, kernel, kernel));
        this.bias = bias ? new Param("bias", Tensor.zeros(outChannels)) : null;
    }

    public Param weight() {
        return weight;
    }

    @Override
    public String type() {
        return "conv_transpose2d";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4 || in.dim(1) != inChannels) {
            throw new ShapeException("conv_transpose2d: expected input [N," + inChannels + ",H,W], got " + in);
        }
        int oh = (in.dim(2) - 1) * stride - 2 * padding + kernel;
        int ow = (in.dim(3) - 1) * stride - 2 * padding + kernel;
        if (oh <= 0 || ow <= 0) {
            throw new ShapeException("conv_transpose2d: padding " + padding + " leaves no output for input " + in);
        }
        return Shape.of(in.dim(0), outChannels, oh, ow);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int n = x.dim(0);
        int hw = x.dim(2) * x.dim(3);
        int okk = outChannels * kernel * kernel;
        int cols = n * hw;
        x2 = Layout.batchToChannelsMajor(x.data(), n, inChannels, hw);
        float[] col = new float[okk * cols];
        Gemm.gemm(true, false, okk, cols, inChannels, 1f, weight.value().data(), 0, okk, x2, 0, cols, 0f, col, 0, cols);
        float[] y = new float[out.size()];
        Im2Col.col2im(col, n, outChannels, out.dim(2), out.dim(3), kernel, kernel, stride, padding, y);
        if (bias != null) {
            int ohw = out.dim(2) * out.dim(3);
            float[] b = bias.value().data();
            for (int i = 0; i < n * outChannels; i++) {
                float bv = b[i % outChannels];
                for (int j = 0; j < ohw; j++) {
                    y[i * ohw + j] += bv;
                }
            }
        }
        inShape = x.shape();
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = inShape.dim(0);
        int h = inShape.dim(2);
        int w = inShape.dim(3);
        int okk = outChannels * kernel * kernel;
        int cols = n * h * w;
        float[] col = new float[okk * cols];
        Im2Col.im2col(gradOut.data(), n, outChannels, gradOut.dim(2), gradOut.dim(3), kernel, kernel, stride, padding, col);
        if (weight.requiresGrad()) {
            Gemm.gemm(false, true, inChannels, okk, cols, 1f, x2, 0, cols, col, 0, cols, 1f, weight.grad().data(), 0, okk);
        }
        if (bias != null && bias.requiresGrad()) {
            int ohw = gradOut.dim(2) * gradOut.dim(3);
            float[] gb = bias.grad().data();
            float[] g = gradOut.data();
            for (int i = 0; i < n * outChannels; i++) {
                double s = 0;
                for (int j = 0; j < ohw; j++) {
                    s += g[i * ohw + j];
                }
                gb[i % outChannels] += (float) s;
            }
        }
        float[] dx2 = new float[inChannels * cols];
        Gemm.gemm(false, false, inChannels, cols, okk, 1f, weight.value().data(), 0, okk, col, 0, cols, 0f, dx2, 0, cols);
        return new Tensor(inShape, Layout.channelsMajorToBatch(dx2, n, inChannels, h * w, null));
    }

    @Override
    public List<Param> params() {
        return present(weight, bias);
    }

    @Override
    public long macs(Shape in) {
        return (long) in.sizeFrom(1) * outChannels * kernel * kernel;
    }

    @Override
    public String describe() {
        return "conv_transpose2d " + inChannels + "->" + outChannels + " k" + kernel + " s" + stride + " p" + padding;
    }
}
