package dev.fovea.nn;

import dev.fovea.kernels.ArrayAssert;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Convolution as a matrix, after lecture notes 002 ("Expressing convolution as matrix multiplication",
 * "De-convolution"): a 3x3 kernel over a 4x4 input is a 4x16 matrix {@code C}, one row per output pixel holding
 * the kernel rows with zeros between; convolution is {@code C x} and transposed convolution of a 2x2 input is
 * {@code C^T y}, reshaped to 4x4.
 */
class ConvolutionMatrixTest {
    /** The {@code (OH*OW) x (H*W)} matrix of a single-channel convolution with square kernel {@code k}. */
    static float[][] convolutionMatrix(float[] kernel, int k, int h, int w, int s, int p) {
        int oh = (h - k + 2 * p) / s + 1, ow = (w - k + 2 * p) / s + 1;
        float[][] c = new float[oh * ow][h * w];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        int y = i * s - p + u, x = j * s - p + v;
                        if (y >= 0 && y < h && x >= 0 && x < w) {
                            c[i * ow + j][y * w + x] = kernel[u * k + v];
                        }
                    }
                }
            }
        }
        return c;
    }

    private static float[] times(float[][] m, float[] v) {
        float[] out = new float[m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < v.length; c++) {
                out[r] += m[r][c] * v[c];
            }
        }
        return out;
    }

    private static float[] transposeTimes(float[][] m, float[] v) {
        float[] out = new float[m[0].length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < out.length; c++) {
                out[c] += m[r][c] * v[r];
            }
        }
        return out;
    }

    /** Small integers, so every sum below is exact in float32 and the comparisons can be exact. */
    private static float[] integers(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextInt(-4, 5);
        }
        return d;
    }

    @Test
    void lectureFourBySixteenMatrix() {
        float[] kernel = {1, 4, 1, 1, 4, 3, 3, 3, 1}; // [[1,4,1],[1,4,3],[3,3,1]]
        float[][] c = convolutionMatrix(kernel, 3, 4, 4, 1, 0);
        assertEquals(4, c.length);
        assertEquals(16, c[0].length);
        // Row 0: the kernel rows at columns 0-2, 4-6, 8-10; row 1 shifted by one; rows 2 and 3 by one input row.
        assertArrayEquals(new float[] {1, 4, 1, 0, 1, 4, 3, 0, 3, 3, 1, 0, 0, 0, 0, 0}, c[0]);
        assertArrayEquals(new float[] {0, 1, 4, 1, 0, 1, 4, 3, 0, 3, 3, 1, 0, 0, 0, 0}, c[1]);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 4, 1, 0, 1, 4, 3, 0, 3, 3, 1, 0}, c[2]);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 4, 1, 0, 1, 4, 3, 0, 3, 3, 1}, c[3]);

        Conv2d conv = new Conv2d(1, 1, 3, 1, 0, false);
        System.arraycopy(kernel, 0, conv.weight().value().data(), 0, 9);
        float[] x = integers(16, 1);
        Tensor y = conv.forward(Tensor.of(x.clone(), 1, 1, 4, 4), false);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(times(c, x), y.data(), "Conv2d(1,1,3) on 4x4 is C x");

        ConvTranspose2d deconv = new ConvTranspose2d(1, 1, 3, 1, 0, false);
        System.arraycopy(kernel, 0, deconv.weight().value().data(), 0, 9);
        float[] in = integers(4, 2);
        Tensor up = deconv.forward(Tensor.of(in.clone(), 1, 1, 2, 2), false);
        assertEquals(Shape.of(1, 1, 4, 4), up.shape(), "a 2x2 input is upsampled to 4x4");
        assertArrayEquals(transposeTimes(c, in), up.data(), "ConvTranspose2d(1,1,3) on 2x2 is C^T y");
    }

    /** The same identities with stride and padding, where {@code C} has a less regular band structure. */
    @ParameterizedTest(name = "K={0} S={1} P={2} H={3} W={4}")
    @CsvSource({"3,2,1,5,5", "3,2,0,7,5", "2,2,0,6,4", "5,1,2,4,6", "4,2,1,6,6"})
    void strideAndPadding(int k, int s, int p, int h, int w) {
        float[] kernel = integers(k * k, 3);
        float[][] c = convolutionMatrix(kernel, k, h, w, s, p);
        int oh = (h - k + 2 * p) / s + 1, ow = (w - k + 2 * p) / s + 1;

        Conv2d conv = new Conv2d(1, 1, k, s, p, false);
        System.arraycopy(kernel, 0, conv.weight().value().data(), 0, k * k);
        float[] x = integers(h * w, 4);
        ArrayAssert.assertExactlyEqual("conv2d k" + k + " s" + s + " p" + p + " as C x",
                times(c, x), conv.forward(Tensor.of(x.clone(), 1, 1, h, w), false).data());

        ConvTranspose2d deconv = new ConvTranspose2d(1, 1, k, s, p, false);
        System.arraycopy(kernel, 0, deconv.weight().value().data(), 0, k * k);
        float[] y = integers(oh * ow, 5);
        Tensor up = deconv.forward(Tensor.of(y.clone(), 1, 1, oh, ow), false);
        assertEquals(Shape.of(1, 1, h, w), up.shape(), "test setup: the transposed output must be H x W");
        ArrayAssert.assertExactlyEqual("conv_transpose2d k" + k + " s" + s + " p" + p + " as C^T y",
                transposeTimes(c, y), up.data());
    }
}
