package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/** Global average pooling: the mean of each channel, {@code [N,C,H,W] -> [N,C]} (PyTorch: {@code x.mean((2,3))}). */
public final class GlobalAvgPool extends Layer {
    private Shape inShape;

    @Override
    public String type() {
        return "global_avgpool";
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 4) {
            throw new ShapeException("global_avgpool: expected input [N,C,H,W], got " + in);
        }
        return Shape.of(in.dim(0), in.dim(1));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shape out = outputShape(x.shape());
        int planes = out.size();
        int hw = x.dim(2) * x.dim(3);
        float[] in = x.data();
        float[] y = new float[planes];
        for (int p = 0; p < planes; p++) {
            float s = 0;
            for (int i = 0; i < hw; i++) {
                s += in[p * hw + i];
            }
            y[p] = s / hw;
        }
        inShape = x.shape();
        return new Tensor(out, y);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        int hw = inShape.dim(2) * inShape.dim(3);
        float[] g = gradOut.data();
        float[] dx = new float[inShape.size()];
        for (int p = 0; p < g.length; p++) {
            java.util.Arrays.fill(dx, p * hw, (p + 1) * hw, g[p] / hw);
        }
        return new Tensor(inShape, dx);
    }

    @Override
    public int[] spatialKernelStride() {
        return null;
    }
}
