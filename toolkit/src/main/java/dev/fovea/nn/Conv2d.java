package dev.fovea.nn;

import dev.fovea.kernels.DirectConv;
import dev.fovea.kernels.DotProducts;
import dev.fovea.kernels.Elementwise;
import dev.fovea.kernels.Gemm;
import dev.fovea.kernels.Im2Col;
import dev.fovea.kernels.Parallel;
import dev.fovea.kernels.PhasedInputGradient;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * 2-D convolution as deep-learning frameworks define it (cross-correlation, as PyTorch's {@code nn.Conv2d}):
 * {@code y[n,o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] * x[n,c,i*S-P+u,j*S-P+v]}.
 *
 * <p>Input {@code [N,Cin,H,W]}, weight {@code [Cout,Cin,K,K]}, output {@code [N,Cout,OH,OW]} with
 * {@code OH = (H-K+2P)/S+1}. Forward is {@code W x im2col(x)}, the weight gradient {@code G x im2col(x)^T} and
 * the input gradient {@code col2im(W^T x G)}, one image at a time, with the column matrix never built where a
 * direct form exists ({@link DirectConv}): the forward pass reads each padded image in place (in phase planes when
 * strided), the weight gradient too (small layers take a whole slice of the batch unfolded, as dot products or one
 * product), and the input gradient is a convolution of the padded output gradient, with the flipped kernel at
 * stride 1 ({@code P <= K-1}, at least 4 input channels) or one per phase when strided
 * ({@link PhasedInputGradient}), else {@code col2im(W^T x G)}. Only the input is kept for the backward pass.
 */
public final class Conv2d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Param weight;
    private final Param bias;

    private Tensor input;
    private float[] foldedWeights;
    private float[] foldedOutput;
    private float[] foldedBias;
    private PhasedInputGradient transposed;
    /** Each slice's share of the weight gradient, kept between passes. */
    private float[][] weightParts;

    /**
     * The weight gradient is summed over slices of the batch, each slice's images in order and then the slices in
     * order; the slices depend on the batch size alone ({@code ceil(N / SLICES)} images each), so the result
     * does not depend on the thread count.
     */
    static final int SLICES = 16;
    /** Column-matrix floats of a slice up to which the backward pass takes a whole slice per product. */
    private static final long SLICE_FLOATS = 1 << 17;
    /** Below this many columns ({@code Cin*K*K}) the weight gradient runs as dot products, not GEMM panels. */
    private static final int DOT_PRODUCT_COLUMNS = 64;

    /** Each thread's spare column matrices, kept between passes. */
    private static final ThreadLocal<java.util.ArrayDeque<float[]>> SCRATCH = ThreadLocal.withInitial(java.util.ArrayDeque::new);

    /** The smallest of this thread's spares that holds {@code size} floats, or a new array. */
    private static float[] takeScratch(int size) {
        java.util.ArrayDeque<float[]> spares = SCRATCH.get();
        float[] best = null;
        for (float[] s : spares) {
            if (s.length >= size && (best == null || s.length < best.length)) {
                best = s;
            }
        }
        if (best == null) {
            return new float[size];
        }
        spares.removeFirstOccurrence(best);
        return best;
    }

    /** Back to this thread's spares; beyond {@value #SPARES} of them the smallest goes. */
    private static void returnScratch(float[] s) {
        if (s == null) {
            return;
        }
        java.util.ArrayDeque<float[]> spares = SCRATCH.get();
        spares.push(s);
        if (spares.size() > SPARES) {
            float[] smallest = s;
            for (float[] x : spares) {
                if (x.length < smallest.length) {
                    smallest = x;
                }
            }
            spares.removeFirstOccurrence(smallest);
        }
    }

    private static final int SPARES = 8;

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
        return convolve(x, out, weight.value().data(), bias == null ? null : bias.value().data(), null, false, outputArray(out.size()));
    }

    /**
     * Whether {@link #forwardFolded} may stand for this layer, {@code bn} and {@code relu} (may be {@code null}) in an
     * evaluation pass: no parameter of either layer wants a gradient.
     */
    boolean foldable(BatchNorm bn) {
        return !weight.requiresGrad() && (bias == null || !bias.requiresGrad()) && !bn.weight().requiresGrad()
                && !bn.bias().requiresGrad() && bn.channels() == outChannels;
    }

    /**
     * This convolution, {@code bn} in evaluation mode and {@code relu} (when not {@code null}) in one pass: the batch
     * norm's scale folded into the weights and its shift into the bias, the ReLU applied as the outputs are written.
     * {@link #backwardFolded} is its backward pass.
     */
    Tensor forwardFolded(Tensor x, BatchNorm bn, Activation.ReLU relu) {
        Shape out = outputShape(x.shape());
        float[] fw = foldWeights(bn);
        Tensor y = convolve(x, out, fw, foldedBias, null, relu != null, (relu != null ? relu : bn).outputArray(out.size()));
        foldedOutput = relu != null ? y.data() : null;
        return y;
    }

    /**
     * As {@link #forwardFolded}, with a residual block's shortcut {@code residual} (laid out as the output) added before
     * the ReLU when {@code relu}: {@code out} receives {@code relu(bn(conv(x)) + residual)}, the block's sum in the same
     * pass. The block masks the ReLU's gradient; {@link #backwardFolded} then takes the convolution's.
     */
    Tensor forwardFoldedAdding(Tensor x, BatchNorm bn, Tensor residual, boolean relu, float[] out) {
        Shape shape = outputShape(x.shape());
        if (!shape.equals(residual.shape())) {
            throw new ShapeException("residual: expected body and shortcut outputs of equal shape, got " + shape + " and " + residual.shape());
        }
        float[] fw = foldWeights(bn);
        Tensor y = convolve(x, shape, fw, foldedBias, residual.data(), relu, out);
        foldedOutput = null;
        return y;
    }

    /** The weights with {@code bn}'s scale folded in (kept for the backward pass), and its shift into {@link #foldedBias}. */
    private float[] foldWeights(BatchNorm bn) {
        float[] scale = bn.evaluationScale();
        float[] mean = bn.runningMean();
        float[] beta = bn.bias().value().data();
        float[] wv = weight.value().data();
        int per = inChannels * kernel * kernel;
        float[] fw = scratchArray(3, wv.length);
        float[] fb = scratchArray(4, outChannels);
        for (int o = 0; o < outChannels; o++) {
            for (int t = 0; t < per; t++) {
                fw[o * per + t] = wv[o * per + t] * scale[o];
            }
            float cb = bias == null ? 0f : bias.value().data()[o];
            fb[o] = scale[o] * (cb - mean[o]) + beta[o];
        }
        foldedWeights = fw;
        foldedBias = fb;
        return fw;
    }

    /** The backward pass of {@link #forwardFolded}: ReLU mask, then the input gradient through the folded weights. */
    Tensor backwardFolded(Tensor gradOut) {
        if (foldedWeights == null) {
            throw new IllegalStateException("conv2d: backwardFolded needs forwardFolded first");
        }
        Tensor g = gradOut;
        if (foldedOutput != null) {
            float[] y = foldedOutput;
            float[] gv = gradOut.data();
            float[] masked = scratchArray(5, gv.length);
            Parallel.forRange(gv.length, 1 << 15, (from, to) -> Elementwise.reluBackward(y, gv, masked, from, to));
            g = new Tensor(gradOut.shape(), masked);
        }
        float[] fw = foldedWeights;
        foldedWeights = null;
        foldedOutput = null;
        return backward(g, fw);
    }

    /** {@code conv(x)} with weights {@code wv} and bias {@code b} into {@code y}, plus {@code res} (may be {@code null}), then the ReLU when {@code relu}. */
    private Tensor convolve(Tensor x, Shape out, float[] wv, float[] b, float[] res, boolean relu, float[] y) {
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int p = out.dim(2) * out.dim(3);
        int ckk = inChannels * kernel * kernel;
        float[] in = x.data();
        if (direct()) {
            int oh = out.dim(2);
            int ow = out.dim(3);
            int hp = h + 2 * padding;
            int wp = w + 2 * padding;
            int rowStride = DirectConv.planeSide(wp, stride);
            float[] packed = DirectConv.packWeights(wv, outChannels, ckk, scratchArray(0, DirectConv.packedSize(outChannels, ckk)));
            int[] taps = DirectConv.rowOffsets(inChannels, hp, wp, kernel, stride);
            // one image per task: padded once (in phase planes when strided) into the worker's scratch, convolved in place
            Parallel.forRange(n, 1, (n0, n1) -> {
                float[] xp = takeScratch(DirectConv.paddedSize(inChannels, hp, wp, kernel, stride));
                float[] acc = takeScratch(DirectConv.accumulatorSize(outChannels, oh, ow, rowStride));
                for (int i = n0; i < n1; i++) {
                    DirectConv.pad(in, i * inChannels * h * w, inChannels, h, w, padding, kernel, stride, xp);
                    DirectConv.convolve(packed, outChannels, ckk, taps, xp, oh, ow, rowStride, acc, b, res, relu, y, i * outChannels * p);
                }
                returnScratch(xp);
                returnScratch(acc);
            });
            input = x;
            return new Tensor(out, y);
        }
        // a 1x1 kernel at a stride: one image per task, unfolded (subsampled) into the worker's scratch, then W x col
        // straight into y[n] over its bias
        Parallel.forRange(n, 1, (n0, n1) -> {
            float[] col = takeScratch(ckk * p);
            for (int i = n0; i < n1; i++) {
                Im2Col.im2colImage(in, i * inChannels * h * w, inChannels, h, w, kernel, kernel, stride, padding, col, 0, p);
                int yo = i * outChannels * p;
                if (b != null) {
                    for (int o = 0; o < outChannels; o++) {
                        java.util.Arrays.fill(y, yo + o * p, yo + (o + 1) * p, b[o]);
                    }
                }
                Gemm.gemm(false, false, outChannels, p, ckk, 1f, wv, 0, ckk, col, 0, p, b == null ? 0f : 1f, y, yo, p);
                if (res != null) {
                    Elementwise.sum2(y, res, relu, y, yo, yo + outChannels * p);
                } else if (relu) {
                    Elementwise.relu(y, y, yo, yo + outChannels * p);
                }
            }
            returnScratch(col);
        });
        input = x;
        return new Tensor(out, y);
    }

    /**
     * Whether the padded input is read in place ({@link DirectConv}), in phase planes when strided: always but for a
     * 1x1 kernel at a stride (measured slower than its packed product: its one phase is a quarter of the image).
     */
    private boolean direct() {
        return stride == 1 || kernel > 1;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return backward(gradOut, weight.value().data());
    }

    private Tensor backward(Tensor gradOut, float[] wv) {
        if (input == null) {
            throw new IllegalStateException("conv2d: backward needs a forward pass first");
        }
        Shape inShape = input.shape();
        float[] in = input.data();
        input = null;
        int n = inShape.dim(0);
        int h = inShape.dim(2);
        int w = inShape.dim(3);
        int p = gradOut.dim(2) * gradOut.dim(3);
        int ckk = inChannels * kernel * kernel;
        int chw = inChannels * h * w;
        float[] g = gradOut.data();
        boolean weightGrad = weight.requiresGrad();
        boolean biasGrad = bias != null && bias.requiresGrad();
        boolean inputGrad = inputGradientNeeded();
        int per = (n + SLICES - 1) / SLICES;
        int slices = (n + per - 1) / per;
        if (weightGrad && (weightParts == null || weightParts.length < slices)) {
            weightParts = new float[slices][outChannels * ckk];
        }
        float[][] parts = weightParts;
        double[][] biasParts = biasGrad ? new double[slices][outChannels] : null;
        float[] dx = inputGrad ? inputGradientArray(inShape.size()) : null;
        int oh = gradOut.dim(2);
        int ow = gradOut.dim(3);
        int okk = outChannels * kernel * kernel;
        float[] flipped = inputGrad && viaFlippedKernel(h, w, oh, ow) ? DirectConv.packWeights(flippedKernel(wv), inChannels, okk, scratchArray(2, DirectConv.packedSize(inChannels, okk))) : null;
        int pf = kernel - 1 - padding;
        int ghp = oh + 2 * pf;
        int gwp = ow + 2 * pf;
        int[] gTaps = flipped != null ? DirectConv.rowOffsets(outChannels, ghp, gwp, kernel) : null;
        int dcolSize = flipped != null ? DirectConv.paddedSize(outChannels, ghp, gwp) : ckk * p;
        boolean direct = direct();
        PhasedInputGradient phased = inputGrad && flipped == null && stride > 1 && direct ? phased(wv, h, w, oh, ow) : null;
        int hp = h + 2 * padding;
        int wp = w + 2 * padding;
        int rowStride = DirectConv.planeSide(wp, stride);
        int positions = (oh - 1) * rowStride + ow;
        // image by image, the weight gradient reads the padded input in place (in phase planes when strided)
        int[] taps = weightGrad && direct ? DirectConv.rowOffsets(inChannels, hp, wp, kernel, stride) : null;
        int colSize = direct ? DirectConv.paddedSize(inChannels, hp, wp, kernel, stride) : ckk * p;
        // one slice of images per task: G_n x col_n^T summed into the slice's share of the weight gradient (col_n
        // unfolded again from the input), the bias gradient as row sums of G_n, and col2im(W^T x G_n) into dx[n]
        // small layers: a whole slice per product, its column matrix unfolded image by image side by side
        boolean bySlice = (long) ckk * p * per <= SLICE_FLOATS && (weightGrad || biasGrad || inputGrad && flipped == null && phased == null);
        int sliceCols = per * p;
        Parallel.forRange(slices, 1, (s0, s1) -> {
            float[] col = weightGrad ? takeScratch(bySlice ? ckk * sliceCols : colSize) : null;
            float[] gz = weightGrad && direct && !bySlice ? takeScratch(outChannels * positions) : null;
            float[] gs = bySlice ? takeScratch(outChannels * sliceCols) : null;
            float[] dcol = inputGrad ? takeScratch(phased != null ? phased.paddedGradientSize()
                    : bySlice && flipped == null ? ckk * sliceCols : dcolSize) : null;
            float[] acc = flipped != null ? takeScratch(DirectConv.accumulatorSize(inChannels, h, w, gwp))
                    : phased != null ? takeScratch(phased.accumulatorSize()) : null;
            float[] plane = phased != null ? takeScratch(phased.planeSize()) : null;
            for (int s = s0; s < s1; s++) {
                if (bySlice) {
                    int i0 = s * per;
                    int i1 = Math.min(n, (s + 1) * per);
                    int ld = (i1 - i0) * p;
                    // G of the slice as [Cout, images * OH*OW]
                    for (int i = i0; i < i1; i++) {
                        for (int o = 0; o < outChannels; o++) {
                            System.arraycopy(g, (i * outChannels + o) * p, gs, o * ld + (i - i0) * p, p);
                        }
                    }
                    if (weightGrad) {
                        for (int i = i0; i < i1; i++) {
                            Im2Col.im2colImage(in, i * chw, inChannels, h, w, kernel, kernel, stride, padding, col, (i - i0) * p, ld);
                        }
                        if (ckk < DOT_PRODUCT_COLUMNS) {
                            int[] rows = new int[ckk];
                            for (int t = 0; t < ckk; t++) {
                                rows[t] = t * ld;
                            }
                            DotProducts.multiply(outChannels, ckk, ld, gs, 0, ld, col, rows, 0f, parts[s], 0, ckk);
                        } else {
                            Gemm.gemm(false, true, outChannels, ckk, ld, 1f, gs, 0, ld, col, 0, ld, 0f, parts[s], 0, ckk);
                        }
                    }
                    if (biasGrad) {
                        for (int o = 0; o < outChannels; o++) {
                            biasParts[s][o] = Elementwise.sum(gs, o * ld, ld, 1, ld);
                        }
                    }
                    if (inputGrad && flipped == null && phased == null) {
                        Gemm.gemm(true, false, ckk, ld, outChannels, 1f, wv, 0, ckk, gs, 0, ld, 0f, dcol, 0, ld);
                        for (int i = i0; i < i1; i++) {
                            Im2Col.col2imImage(dcol, (i - i0) * p, ld, inChannels, h, w, kernel, kernel, stride, padding, dx, i * chw);
                        }
                    }
                }
                for (int i = s * per; i < Math.min(n, (s + 1) * per); i++) {
                    if (bySlice && flipped == null && phased == null) {
                        break;
                    }
                    if (bySlice) {
                        if (phased != null) {
                            phased.apply(g, i * outChannels * p, dcol, acc, plane, dx, i * chw);
                        } else {
                            DirectConv.pad(g, i * outChannels * p, outChannels, oh, ow, pf, dcol);
                            DirectConv.convolve(flipped, inChannels, okk, gTaps, dcol, h, w, gwp, acc, null, dx, i * chw);
                        }
                        continue;
                    }
                    int go = i * outChannels * p;
                    if (weightGrad && direct) {
                        // G_n spread over the padded width (zero in the padding) times the windows of the padded image
                        DirectConv.pad(in, i * chw, inChannels, h, w, padding, kernel, stride, col);
                        for (int o = 0; o < outChannels; o++) {
                            for (int oy = 0; oy < oh; oy++) {
                                int d = o * positions + oy * rowStride;
                                System.arraycopy(g, go + (o * oh + oy) * ow, gz, d, ow);
                                if (oy < oh - 1) {
                                    java.util.Arrays.fill(gz, d + ow, d + rowStride, 0f);
                                }
                            }
                        }
                        if (ckk < DOT_PRODUCT_COLUMNS) {
                            DotProducts.multiply(outChannels, ckk, positions, gz, 0, positions, col, taps, i == s * per ? 0f : 1f,
                                    parts[s], 0, ckk);
                        } else {
                            Gemm.gemmRowsB(outChannels, ckk, positions, 1f, gz, 0, positions, false, col, taps,
                                    i == s * per ? 0f : 1f, parts[s], 0, ckk);
                        }
                    } else if (weightGrad) {
                        Im2Col.im2colImage(in, i * chw, inChannels, h, w, kernel, kernel, stride, padding, col, 0, p);
                        Gemm.gemm(false, true, outChannels, ckk, p, 1f, g, go, p, col, 0, p, i == s * per ? 0f : 1f,
                                parts[s], 0, ckk);
                    }
                    if (biasGrad) {
                        for (int o = 0; o < outChannels; o++) {
                            biasParts[s][o] += Elementwise.sum(g, go + o * p, p, 1, p);
                        }
                    }
                    if (flipped != null) {
                        // dx[n] is G_n, padded by K-1-P, convolved with the flipped and transposed kernel
                        DirectConv.pad(g, go, outChannels, oh, ow, pf, dcol);
                        DirectConv.convolve(flipped, inChannels, okk, gTaps, dcol, h, w, gwp, acc, null, dx, i * chw);
                    } else if (phased != null) {
                        phased.apply(g, go, dcol, acc, plane, dx, i * chw);
                    } else if (inputGrad) {
                        Gemm.gemm(true, false, ckk, p, outChannels, 1f, wv, 0, ckk, g, go, p, 0f, dcol, 0, p);
                        Im2Col.col2imImage(dcol, 0, p, inChannels, h, w, kernel, kernel, stride, padding, dx, i * chw);
                    }
                }
            }
            returnScratch(col);
            returnScratch(gz);
            returnScratch(gs);
            returnScratch(dcol);
            returnScratch(acc);
            returnScratch(plane);
        });
        if (weightGrad) {
            float[] dw = weight.grad().data();
            for (int j = 0; j < dw.length; j++) {
                float sum = parts[0][j];
                for (int s = 1; s < slices; s++) {
                    sum += parts[s][j];
                }
                dw[j] += sum;
            }
        }
        if (biasGrad) {
            float[] db = bias.grad().data();
            for (int o = 0; o < outChannels; o++) {
                double sum = 0;
                for (int s = 0; s < slices; s++) {
                    sum += biasParts[s][o];
                }
                db[o] += (float) sum;
            }
        }
        return inputGrad ? new Tensor(inShape, dx) : null;
    }

    /** The phased input gradient for this backward pass's weights, kept between passes of the same input size. */
    private PhasedInputGradient phased(float[] wv, int h, int w, int oh, int ow) {
        PhasedInputGradient t = transposed;
        if (t != null && t.fits(h, w)) {
            t.load(wv);
            return t;
        }
        transposed = new PhasedInputGradient(wv, outChannels, inChannels, kernel, stride, padding, h, w, oh, ow);
        return transposed;
    }

    /**
     * Whether the input gradient is better taken as a convolution of the padded output gradient with the flipped
     * kernel (one product of depth {@code Cout*K*K} per image, no col2im) than as {@code col2im(W^T x G)}: with
     * stride 1 and {@code P <= K-1}, when the padded gradient at most doubles the work ("same" padding adds none)
     * and the input has channels enough to fill the micro-kernel's rows.
     */
    private boolean viaFlippedKernel(int h, int w, int oh, int ow) {
        return stride == 1 && padding <= kernel - 1 && inChannels >= 4 && h * w <= 2L * oh * ow;
    }

    /** {@code W'[c][o,u,v] = W[o][c][K-1-u][K-1-v]}, as {@code [Cin, Cout*K*K]}. */
    private float[] flippedKernel(float[] wv) {
        int kk = kernel * kernel;
        float[] f = scratchArray(1, inChannels * outChannels * kk);
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < inChannels; c++) {
                int src = (o * inChannels + c) * kk;
                int dst = (c * outChannels + o) * kk;
                for (int t = 0; t < kk; t++) {
                    f[dst + t] = wv[src + kk - 1 - t];
                }
            }
        }
        return f;
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
