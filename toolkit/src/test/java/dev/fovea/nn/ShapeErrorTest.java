package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shape mistakes fail fast with {@code "<where>: expected <what>, got <actual>"}. */
class ShapeErrorTest {
    @Test
    void conv2dWithWrongChannelCount() {
        Conv2d conv = new Conv2d(3, 8, 3, 1, 1, true);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 1, 28, 28), false));
        assertEquals("conv2d: expected input [N,3,H,W], got [1,1,28,28]", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(ShapeException.class, () -> conv.outputShape(Shape.of(1, 1, 28, 28))).getMessage());
    }

    @Test
    void conv2dWithWrongRank() {
        Conv2d conv = new Conv2d(3, 8, 3, 1, 1, true);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(3, 28, 28), false));
        assertEquals("conv2d: expected input [N,3,H,W], got [3,28,28]", e.getMessage());
    }

    @Test
    void conv2dInputSmallerThanKernel() {
        Conv2d conv = new Conv2d(1, 1, 5, 1, 0, false);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 1, 4, 4), false));
        assertEquals("conv2d: expected an input of at least 5x5 after padding, got [1,1,4,4]", e.getMessage());
    }

    @Test
    void linearWithWrongFeatureCount() {
        Linear fc = new Linear(5, 3, true);
        ShapeException e = assertThrows(ShapeException.class, () -> fc.forward(Tensor.zeros(2, 4), false));
        assertEquals("linear: expected input [N,5], got [2,4]", e.getMessage());
        assertEquals("linear: expected input [N,5], got [2,1,5]",
                assertThrows(ShapeException.class, () -> fc.forward(Tensor.zeros(2, 1, 5), false)).getMessage());
    }

    @Test
    void residualWithMismatchedBranches() {
        Residual block = new Residual(
                new Sequential(List.of(new Conv2d(3, 4, 3, 1, 1, false))),
                new Sequential(List.of()));
        Shape in = Shape.of(2, 3, 8, 8);
        String expected = "residual: expected body and shortcut outputs of equal shape, got [2,4,8,8] and [2,3,8,8]";
        assertEquals(expected, assertThrows(ShapeException.class, () -> block.outputShape(in)).getMessage());
        assertEquals(expected, assertThrows(ShapeException.class, () -> block.forward(Tensor.zeros(in), false)).getMessage());
    }

    @Test
    void residualWithStridedBodyAndUnstridedShortcut() {
        Residual block = new Residual(
                new Sequential(List.of(new Conv2d(2, 4, 3, 2, 1, false))),
                new Sequential(List.of(new Conv2d(2, 4, 1, 1, 0, false))));
        ShapeException e = assertThrows(ShapeException.class, () -> block.outputShape(Shape.of(1, 2, 8, 8)));
        assertEquals("residual: expected body and shortcut outputs of equal shape, got [1,4,4,4] and [1,4,8,8]", e.getMessage());
    }

    @Test
    void otherLayersNameThemselves() {
        assertEquals("conv_transpose2d: expected input [N,2,H,W], got [1,3,4,4]", assertThrows(ShapeException.class,
                () -> new ConvTranspose2d(2, 1, 3, 1, 0, false).forward(Tensor.zeros(1, 3, 4, 4), false)).getMessage());
        assertEquals("batchnorm2d: expected input [N,4,H,W], got [2,3,5,5]", assertThrows(ShapeException.class,
                () -> new BatchNorm.BatchNorm2d(4).forward(Tensor.zeros(2, 3, 5, 5), true)).getMessage());
        assertEquals("batchnorm1d: expected input [N,4], got [2,5]", assertThrows(ShapeException.class,
                () -> new BatchNorm.BatchNorm1d(4).forward(Tensor.zeros(2, 5), true)).getMessage());
        assertEquals("maxpool2d: expected input [N,C,H,W], got [4,4]", assertThrows(ShapeException.class,
                () -> new MaxPool2d(2, 2, 0).forward(Tensor.zeros(4, 4), false)).getMessage());
        assertEquals("global_avgpool: expected input [N,C,H,W], got [2,8]", assertThrows(ShapeException.class,
                () -> new GlobalAvgPool().forward(Tensor.zeros(2, 8), false)).getMessage());
        assertEquals("softmax: expected input [N,K], got [2,3,4]", assertThrows(ShapeException.class,
                () -> new Softmax().forward(Tensor.zeros(2, 3, 4), false)).getMessage());
    }

    @Test
    void sequentialReportsTheFirstLayerThatDoesNotFit() {
        Sequential net = new Sequential(List.of(new Conv2d(1, 4, 3, 1, 0, true), new Flatten(), new Linear(100, 10, true)));
        ShapeException e = assertThrows(ShapeException.class, () -> net.outputShape(Shape.of(1, 1, 28, 28)));
        assertEquals("linear: expected input [N,100], got [1,2704]", e.getMessage());
    }
}
