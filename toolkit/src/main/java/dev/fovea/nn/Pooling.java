package dev.fovea.nn;

import dev.fovea.kernels.Im2Col;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;

/** Shape rules shared by the pooling layers. */
final class Pooling {
    private Pooling() {
    }

    static Shape outputShape(String where, Shape in, int kernel, int stride, int padding) {
        if (in.rank() != 4) {
            throw new ShapeException(where + ": expected input [N,C,H,W], got " + in);
        }
        if (in.dim(2) + 2 * padding < kernel || in.dim(3) + 2 * padding < kernel) {
            throw new ShapeException(where + ": expected an input of at least " + kernel + "x" + kernel + ", got " + in);
        }
        return Shape.of(in.dim(0), in.dim(1), Im2Col.outSize(in.dim(2), kernel, stride, padding), Im2Col.outSize(in.dim(3), kernel, stride, padding));
    }
}
