package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/** {@code [N, ...] -> [N, prod(...)]}, keeping the row-major (C, H, W) order as {@code torch.flatten(x, 1)}. */
public final class Flatten extends Layer {
    private Shape inShape;

    @Override
    public String type() {
        return "flatten";
    }

    @Override
    public Shape outputShape(Shape in) {
        return Shape.of(in.dim(0), in.sizeFrom(1));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        inShape = x.shape();
        return x.reshape(outputShape(x.shape()));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return gradOut.reshape(inShape);
    }
}
