package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.kernels.Reference;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SubsamplePad} against the direct loop of {@link Reference#subsamplePad}: a copy, so forward and backward
 * must match exactly, on even and odd sizes, with and without padding, and pass after pass with reused buffers.
 */
class SubsamplePadTest {
    @ParameterizedTest(name = "N={0} C={1} pad={2} stride={3} H={4} W={5}")
    @CsvSource({"2,16,8,2,32,32", "1,3,0,1,5,4", "2,2,1,2,7,6", "3,4,2,3,8,7", "1,1,3,2,1,1"})
    void forwardAndBackwardMatchReference(int n, int c, int pad, int stride, int h, int w) {
        SubsamplePad layer = new SubsamplePad(stride, pad);
        Tensor x = GradCheck.uniform(Shape.of(n, c, h, w), -1, 1, 1);
        String what = layer.describe() + " on " + x.shape();
        Shape out = Shape.of(n, c + 2 * pad, (h + stride - 1) / stride, (w + stride - 1) / stride);
        assertEquals(out, layer.outputShape(x.shape()), what + ": output shape");
        Tensor y = layer.forward(x, false);
        assertEquals(out, y.shape(), what + ": forward shape");
        ArrayAssert.assertClose(what + " forward", Reference.subsamplePad(x, stride, pad), y.data(), out, 0);
        Tensor g = GradCheck.uniform(out, -1, 1, 2);
        ArrayAssert.assertClose(what + " dX", Reference.subsamplePadInputGrad(g, x.shape(), stride, pad),
                layer.backward(g).data(), x.shape(), 0);
    }

    /** With buffer reuse on, a second pass overwrites every entry, the zero channels and skipped pixels included. */
    @Test
    void reusedBuffersHoldNothingOfTheLastPass() {
        SubsamplePad layer = new SubsamplePad(2, 2);
        layer.setBufferReuse(true, true);
        Shape in = Shape.of(2, 3, 6, 5);
        layer.forward(GradCheck.uniform(in, 5, 6, 3), false);
        layer.backward(GradCheck.uniform(layer.outputShape(in), 5, 6, 4));
        Tensor x = GradCheck.uniform(in, -1, 1, 5);
        Tensor y = layer.forward(x, false);
        ArrayAssert.assertClose("second forward", Reference.subsamplePad(x, 2, 2), y.data(), y.shape(), 0);
        Tensor g = GradCheck.uniform(y.shape(), -1, 1, 6);
        ArrayAssert.assertClose("second backward", Reference.subsamplePadInputGrad(g, in, 2, 2), layer.backward(g).data(), in, 0);
    }

    @Test
    void rejectsBadOptionsAndShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SubsamplePad(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SubsamplePad(2, -1));
        ShapeException e = assertThrows(ShapeException.class, () -> new SubsamplePad(2, 1).outputShape(Shape.of(2, 8)));
        assertEquals("subsample_pad: expected input [N,C,H,W], got " + Shape.of(2, 8), e.getMessage());
    }
}
