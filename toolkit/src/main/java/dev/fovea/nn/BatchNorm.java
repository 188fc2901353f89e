package dev.fovea.nn;

import dev.fovea.kernels.Elementwise;
import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Batch normalisation (Ioffe & Szegedy 2015), per channel: {@code y = gamma * (x - mu) / sqrt(var + eps) + beta}.
 * Training uses the batch's mean and biased variance and updates the running statistics with momentum 0.1
 * (the running variance from the unbiased estimate), as PyTorch; evaluation uses the running statistics.
 * State names follow PyTorch: {@code weight}, {@code bias}, {@code running_mean}, {@code running_var},
 * {@code num_batches_tracked}.
 */
public abstract class BatchNorm extends Layer {
    public static final float EPS = 1e-5f;
    public static final float MOMENTUM = 0.1f;

    private final int channels;
    private final Param weight;
    private final Param bias;
    private final float[] runningMean;
    private final float[] runningVar;
    private final long[] numBatchesTracked = new long[1];

    private Shape inShape;
    private float[] xhat;
    private float[] invStd;
    private boolean trainedPass;

    BatchNorm(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException(type() + ": expected a positive channel count, got " + channels);
        }
        this.channels = channels;
        this.weight = new Param("weight", Tensor.full(Shape.of(channels), 1f));
        this.bias = new Param("bias", Tensor.zeros(channels));
        this.runningMean = new float[channels];
        this.runningVar = new float[channels];
        java.util.Arrays.fill(runningVar, 1f);
    }

    public int channels() {
        return channels;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public float[] runningMean() {
        return runningMean;
    }

    public float[] runningVar() {
        return runningVar;
    }

    /** {@code gamma / sqrt(runningVar + eps)} per channel: the evaluation-mode scale, as the forward pass computes it. */
    public float[] evaluationScale() {
        float[] g = weight.value().data();
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = g[c] * (float) (1.0 / Math.sqrt(runningVar[c] + EPS));
        }
        return s;
    }

    /** Number of values per channel per sample (H*W, or 1). */
    abstract int spatial(Shape in);

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int n = x.dim(0);
        int hw = spatial(x.shape());
        int count = n * hw;
        float[] in = x.data();
        float[] y = outputArray(in.length);
        // x-hat is needed by the backward pass only for the batch statistics and the parameters' gradients
        float[] xh = training || weight.requiresGrad() || bias.requiresGrad() ? scratchArray(0, in.length) : null;
        float[] inv = scratchArray(1, channels);
        float[] g = weight.value().data();
        float[] b = bias.value().data();
        int stride = channels * hw;
        Parallel.forRange(channels, grain(in.length), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                double mean;
                double var;
                if (training) {
                    mean = Elementwise.sum(in, c * hw, stride, n, hw) / count;
                    double sq = Elementwise.sumSquaredDeviations(in, c * hw, stride, n, hw, (float) mean);
                    var = sq / count;
                    double unbiased = count > 1 ? sq / (count - 1) : var;
                    runningMean[c] = (float) ((1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean);
                    runningVar[c] = (float) ((1 - MOMENTUM) * runningVar[c] + MOMENTUM * unbiased);
                } else {
                    mean = runningMean[c];
                    var = runningVar[c];
                }
                float is = (float) (1.0 / Math.sqrt(var + EPS));
                inv[c] = is;
                float m = (float) mean;
                for (int i = 0; i < n; i++) {
                    Elementwise.normalize(in, (i * channels + c) * hw, hw, m, is, g[c], b[c], xh, y);
                }
            }
        });
        if (training) {
            numBatchesTracked[0]++;
        }
        inShape = x.shape();
        xhat = xh;
        invStd = inv;
        trainedPass = training;
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = inShape.dim(0);
        int hw = spatial(inShape);
        int count = n * hw;
        float[] g = gradOut.data();
        float[] dx = inputGradientArray(g.length);
        float[] gamma = weight.value().data();
        float[] dGamma = weight.grad().data();
        float[] dBeta = bias.grad().data();
        boolean gammaGrad = weight.requiresGrad();
        boolean betaGrad = bias.requiresGrad();
        float[] xh = xhat;
        float[] inv = invStd;
        boolean trained = trainedPass;
        int stride = channels * hw;
        Parallel.forRange(channels, grain(g.length), (c0, c1) -> {
            double[] sums = new double[2];
            for (int c = c0; c < c1; c++) {
                if (trained || gammaGrad || betaGrad) {
                    if (xh == null) {
                        throw new IllegalStateException(type() + ": parameter gradients switched on between forward and backward");
                    }
                    Elementwise.sumAndDot(g, xh, c * hw, stride, n, hw, sums);
                }
                double sg = sums[0];
                double sgx = sums[1];
                if (gammaGrad) {
                    dGamma[c] += (float) sgx;
                }
                if (betaGrad) {
                    dBeta[c] += (float) sg;
                }
                float k = gamma[c] * inv[c];
                for (int i = 0; i < n; i++) {
                    int o = (i * channels + c) * hw;
                    if (trained) {
                        Elementwise.normalizeBackward(g, xh, o, hw, k, (float) (sg / count), (float) (sgx / count), dx);
                    } else {
                        Elementwise.affine(g, o, hw, k, 0f, dx);
                    }
                }
            }
        });
        return new Tensor(inShape, dx);
    }

    /** One channel per task, or all on the calling thread when the tensor is small. */
    private int grain(int size) {
        return size < 1 << 15 ? channels : 1;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public List<StateTensor> state() {
        Shape c = Shape.of(channels);
        return List.of(
                StateTensor.of("weight", c, weight.value().data()),
                StateTensor.of("bias", c, bias.value().data()),
                StateTensor.of("running_mean", c, runningMean),
                StateTensor.of("running_var", c, runningVar),
                StateTensor.ofLongs("num_batches_tracked", Shape.of(), numBatchesTracked));
    }

    @Override
    public String describe() {
        return type() + " " + channels;
    }

    /** Batch norm over {@code [N,F]} (PyTorch {@code nn.BatchNorm1d} on 2-D input). */
    public static final class BatchNorm1d extends BatchNorm {
        public BatchNorm1d(int features) {
            super(features);
        }

        @Override
        public String type() {
            return "batchnorm1d";
        }

        @Override
        public Shape outputShape(Shape in) {
            if (in.rank() != 2 || in.dim(1) != channels()) {
                throw new dev.fovea.tensor.ShapeException("batchnorm1d: expected input [N," + channels() + "], got " + in);
            }
            return in;
        }

        @Override
        int spatial(Shape in) {
            return 1;
        }
    }

    /** Batch norm over {@code [N,C,H,W]}, statistics per channel over N, H and W. */
    public static final class BatchNorm2d extends BatchNorm {
        public BatchNorm2d(int channels) {
            super(channels);
        }

        @Override
        public String type() {
            return "batchnorm2d";
        }

        @Override
        public Shape outputShape(Shape in) {
            if (in.rank() != 4 || in.dim(1) != channels()) {
                throw new dev.fovea.tensor.ShapeException("batchnorm2d: expected input [N," + channels() + ",H,W], got " + in);
            }
            return in;
        }

        @Override
        int spatial(Shape in) {
            return in.dim(2) * in.dim(3);
        }
    }
}
