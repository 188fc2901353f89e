package dev.fovea.image.corrupt;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PixelateTest {
    @Test
    void aConstantImageStaysConstant() {
        Pixelate pixelate = new Pixelate();
        for (int[] hw : new int[][] {{32, 32}, {17, 40}, {224, 224}, {96, 80}}) {
            Tensor x = Tensor.full(Shape.of(1, 3, hw[0], hw[1]), 0.3f);
            for (int s = 1; s <= 5; s++) {
                for (float v : pixelate.apply(x, s, 0).data()) {
                    assertEquals(0.3f, v, 1e-7f, "pixelate severity " + s + " on " + hw[0] + "x" + hw[1]);
                }
            }
        }
    }

    /**
     * Worked by hand from Pillow's definition: 5 to 3 samples (scale 5/3, support 5/6) gives centres 5/6, 5/2,
     * 25/6, covering inputs {0, 1}, {2} and {3, 4}; back from 3 to 5 (scale 3/5, support 1/2) the centres 0.3,
     * 0.9, 1.5, 2.1, 2.7 take inputs 0, 0, 1, 2, 2.
     */
    @Test
    void fiveToThreeAndBackAsPillowsBoxFilterDefinesIt() {
        float[] row = {0.125f, 0.375f, 0.5f, 0.25f, 1f};
        float[] expected = {0.25f, 0.25f, 0.5f, 0.625f, 0.625f};
        Pixelate.Params p = new Pixelate.Params(0.65); // int(5 * 0.65) = 3; int(1 * 0.65) = 0, kept at 1
        assertArrayEquals(expected, new Pixelate().apply(Tensor.of(row, 1, 1, 1, 5), p, 0, 0).data());
        assertArrayEquals(expected, new Pixelate().apply(Tensor.of(row, 1, 1, 5, 1), p, 0, 0).data());
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.625f}, Pixelate.resize(row, 1, 5, 1, 3));
    }

    @Test
    void halvingAveragesTwoByTwoBlocks() {
        float[] x = {
            0f, 0.5f, 1f, 1f,
            0.5f, 1f, 0f, 0f,
            0.25f, 0.25f, 0f, 0.5f,
            0.25f, 0.25f, 0.5f, 1f};
        float[] expected = {
            0.5f, 0.5f, 0.5f, 0.5f,
            0.5f, 0.5f, 0.5f, 0.5f,
            0.25f, 0.25f, 0.5f, 0.5f,
            0.25f, 0.25f, 0.5f, 0.5f};
        assertArrayEquals(expected, new Pixelate().apply(Tensor.of(x, 1, 1, 4, 4), new Pixelate.Params(0.5), 0, 0).data());
    }

    @Test
    void refusesFactorsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Pixelate.Params(0));
        assertThrows(IllegalArgumentException.class, () -> new Pixelate.Params(1.5));
    }
}
