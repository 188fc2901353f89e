package dev.fovea.nn;

import dev.fovea.kernels.Gemm;
import dev.fovea.kernels.Im2Col;
import dev.fovea.kernels.Parallel;
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
 * and the input gradient {@code col2im(W^T x G)}: all three through {@link Gemm}. Forward and input gradient run
 * one image per task (each image's product written straight in {@code [N,C,H,W]} layout, the bias first);
 * the weight gradient is one product over the whole batch. The column matrix is kept between passes.
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
    private float[] g2;

    /** Each thread's column matrix of one image for the input gradient, kept between passes. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][]);

    /** This thread's scratch of at least {@code size} floats, taken out so that a nested pass gets its own. */
    private static float[] takeScratch(int size) {
        float[][] holder = SCRATCH.get();
        float[] s = holder[0];
        holder[0] = null;
        return s != null && s.length >= size ? s : new float[size];
    }

    private static void returnScratch(float[] s) {
        SCRATCH.get()[0] = s;
    }

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
        int p = out.dim(2) * out.dim(3);
        int ckk = inChannels * kernel * kernel;
        int cols = n * p;
        if (col == null || col.length != ckk * cols) {
            col = new float[ckk * cols];
        }
        float[] in = x.data();
        float[] y = new float[out.size()];
        float[] wv = weight.value().data();
        float[] b = bias == null ? null : bias.value().data();
        float[] c = col;
        // one image per task: unfold it, then W x col_n straight into y[n] (layout [Cout, OH*OW]) over its bias
        Parallel.forRange(n, 1, (n0, n1) -> {
            for (int i = n0; i < n1; i++) {
                Im2Col.im2colImage(in, i * inChannels * h * w, inChannels, h, w, kernel, kernel, stride, padding, c, i * p, cols);
                int yo = i * outChannels * p;
                if (b != null) {
                    for (int o = 0; o < outChannels; o++) {
                        java.util.Arrays.fill(y, yo + o * p, yo + (o + 1) * p, b[o]);
                    }
                }
                Gemm.gemm(false, false, outChannels, p, ckk, 1f, wv, 0, ckk, c, i * p, cols, b == null ? 0f : 1f, y, yo, p);
            }
        });
        inShape = x.shape();
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (inShape == null) {
            throw new IllegalStateException("conv2d: backward needs a forward pass first");
        }
        int n = inShape.dim(0);
        int h = inShape.dim(2);
        int w = inShape.dim(3);
        int p = gradOut.dim(2) * gradOut.dim(3);
        int ckk = inChannels * kernel * kernel;
        int cols = n * p;
        float[] g = gradOut.data();
        boolean biasGrad = bias != null && bias.requiresGrad();
        if (weight.requiresGrad() || biasGrad) {
            if (g2 == null || g2.length != outChannels * cols) {
                g2 = new float[outChannels * cols];
            }
            Layout.batchToChannelsMajor(g, n, outChannels, p, g2);
        }
        if (weight.requiresGrad()) {
            Gemm.gemm(false, true, outChannels, ckk, cols, 1f, g2, 0, cols, col, 0, cols, 1f, weight.grad().data(), 0, ckk);
        }
        if (biasGrad) {
            Layout.addRowSums(g2, outChannels, cols, bias.grad().data());
        }
        float[] dx = new float[inShape.size()];
        float[] wv = weight.value().data();
        // one image per task: W^T x G_n (G_n = gradOut[n], [Cout, OH*OW]) into the worker's scratch, folded back
        Parallel.forRange(n, 1, (n0, n1) -> {
            float[] dcol = takeScratch(ckk * p);
            for (int i = n0; i < n1; i++) {
                Gemm.gemm(true, false, ckk, p, outChannels, 1f, wv, 0, ckk, g, i * outChannels * p, p, 0f, dcol, 0, p);
                Im2Col.col2imImage(dcol, 0, p, inChannels, h, w, kernel, kernel, stride, padding, dx, i * inChannels * h * w);
            }
            returnScratch(dcol);
        });
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
