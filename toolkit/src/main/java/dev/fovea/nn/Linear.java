package dev.fovea.nn;

import dev.fovea.kernels.Gemm;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/** Fully connected layer {@code y = x W^T + b}: input {@code [N,in]}, weight {@code [out,in]}, output {@code [N,out]}. */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Param weight;
    private final Param bias;
    private Tensor input;

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("linear: expected positive feature counts, got in=" + inFeatures + " out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = new Param("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? new Param("bias", Tensor.zeros(outFeatures)) : null;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String type() {
        return "linear";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 2 || in.dim(1) != inFeatures) {
            throw new ShapeException("linear: expected input [N," + inFeatures + "], got " + in);
        }
        return Shape.of(in.dim(0), outFeatures);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int n = x.dim(0);
        float[] y = outputArray(n * outFeatures);
        if (bias != null) {
            float[] b = bias.value().data();
            for (int i = 0; i < n; i++) {
                System.arraycopy(b, 0, y, i * outFeatures, outFeatures);
            }
        }
        Gemm.gemm(false, true, n, outFeatures, inFeatures, 1f, x.data(), 0, inFeatures, weight.value().data(), 0, inFeatures,
                bias == null ? 0f : 1f, y, 0, outFeatures);
        input = x;
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int n = input.dim(0);
        float[] g = gradOut.data();
        if (weight.requiresGrad()) {
            Gemm.gemm(true, false, outFeatures, inFeatures, n, 1f, g, 0, outFeatures, input.data(), 0, inFeatures, 1f,
                    weight.grad().data(), 0, inFeatures);
        }
        if (bias != null && bias.requiresGrad()) {
            float[] gb = bias.grad().data();
            for (int o = 0; o < outFeatures; o++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += g[i * outFeatures + o];
                }
                gb[o] += (float) s;
            }
        }
        Shape in = input.shape();
        input = null;
        if (!inputGradientNeeded()) {
            return null;
        }
        float[] dx = inputGradientArray(n * inFeatures);
        Gemm.gemm(false, false, n, inFeatures, outFeatures, 1f, g, 0, outFeatures, weight.value().data(), 0, inFeatures, 0f, dx, 0, inFeatures);
        return new Tensor(in, dx);
    }

    @Override
    public List<Param> params() {
        return present(weight, bias);
    }

    @Override
    public long macs(Shape in) {
        return (long) inFeatures * outFeatures;
    }

    @Override
    public String describe() {
        return "linear " + inFeatures + "->" + outFeatures + (bias == null ? " no-bias" : "");
    }
}
