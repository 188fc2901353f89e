package dev.fovea.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Im2Col}: im2col against its definition, col2im as its adjoint. */
class Im2ColTest {
    private static final String CASES_NAME = "N={0} C={1} H={2} W={3} KH={4} KW={5} S={6} P={7}";

    private static float[] random(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[length];
        for (int i = 0; i < length; i++) {
            d[i] = (float) (2 * r.nextDouble() - 1);
        }
        return d;
    }

    private static int colLength(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        return c * kh * kw * n * Reference.outSize(h, kh, s, p) * Reference.outSize(w, kw, s, p);
    }

    @ParameterizedTest(name = CASES_NAME)
    @CsvSource({"1,1,5,5,3,3,1,0", "2,3,7,6,3,3,2,1", "2,2,8,9,5,5,2,2", "3,4,6,6,1,1,1,0", "1,2,5,7,2,3,3,1",
            "2,1,4,4,4,4,1,0", "1,3,9,4,3,1,2,1"})
    void im2colMatchesDefinition(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        float[] x = random(n * c * h * w, 1);
        float[] col = random(colLength(n, c, h, w, kh, kw, s, p), 99); // stale values must all be overwritten
        Im2Col.im2col(x, n, c, h, w, kh, kw, s, p, col);
        ArrayAssert.assertExactlyEqual("im2col", Reference.im2col(x, n, c, h, w, kh, kw, s, p), col);
    }

    @ParameterizedTest(name = CASES_NAME)
    @CsvSource({"1,1,5,5,3,3,1,0", "2,3,7,6,3,3,2,1", "2,2,8,9,5,5,2,2", "3,4,6,6,1,1,1,0", "1,2,5,7,2,3,3,1",
            "2,1,4,4,4,4,1,0", "1,3,9,4,3,1,2,1", "2,8,14,14,3,3,1,1"})
    void col2imIsAdjointOfIm2col(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        float[] x = random(n * c * h * w, 2);
        float[] cIn = random(colLength(n, c, h, w, kh, kw, s, p), 3);
        float[] col = new float[cIn.length];
        Im2Col.im2col(x, n, c, h, w, kh, kw, s, p, col);
        float[] back = random(x.length, 4); // col2im must zero its output first
        Im2Col.col2im(cIn, n, c, h, w, kh, kw, s, p, back);
        double lhs = Reference.dot(col, cIn);
        double rhs = Reference.dot(x, back);
        double rel = Math.abs(lhs - rhs) / Math.max(1e-30, Math.max(Math.abs(lhs), Math.abs(rhs)));
        assertTrue(rel < 1e-4, "<im2col(x), c> = " + lhs + " but <x, col2im(c)> = " + rhs + " (relative " + rel + ")");
    }

    /** The one-image forms, image by image into the batch's column matrix, give the batch forms' exact bits. */
    @ParameterizedTest(name = CASES_NAME)
    @CsvSource({"1,1,5,5,3,3,1,0", "2,3,7,6,3,3,2,1", "2,2,8,9,5,5,2,2", "3,4,6,6,1,1,1,0", "1,2,5,7,2,3,3,1",
            "2,1,4,4,4,4,1,0", "1,3,9,4,3,1,2,1", "2,2,3,3,3,3,1,2", "2,1,2,2,5,5,1,2"})
    void imageFormsMatchBatchForms(int n, int c, int h, int w, int kh, int kw, int s, int p) {
        float[] x = random(n * c * h * w, 5);
        int len = colLength(n, c, h, w, kh, kw, s, p);
        int per = len / (c * kh * kw) / n;
        float[] whole = new float[len];
        Im2Col.im2col(x, n, c, h, w, kh, kw, s, p, whole);
        float[] byImage = random(len, 6);
        for (int i = 0; i < n; i++) {
            Im2Col.im2colImage(x, i * c * h * w, c, h, w, kh, kw, s, p, byImage, i * per, n * per);
        }
        ArrayAssert.assertExactlyEqual("im2colImage", Reference.im2col(x, n, c, h, w, kh, kw, s, p), byImage);
        float[] cIn = random(len, 7);
        float[] back = new float[x.length];
        Im2Col.col2im(cIn, n, c, h, w, kh, kw, s, p, back);
        float[] backByImage = random(x.length, 8);
        for (int i = 0; i < n; i++) {
            Im2Col.col2imImage(cIn, i * per, n * per, c, h, w, kh, kw, s, p, backByImage, i * c * h * w);
        }
        assertArrayEquals(back, backByImage, "col2imImage");
    }

    /** col2im of a column matrix of ones counts how many windows cover each pixel. */
    @Test
    void col2imOfOnesCountsWindowCoverage() {
        int h = 4, w = 4;
        float[] ones = new float[colLength(1, 1, h, w, 3, 3, 1, 0)];
        Arrays.fill(ones, 1f);
        float[] x = new float[h * w];
        Im2Col.col2im(ones, 1, 1, h, w, 3, 3, 1, 0, x);
        assertArrayEquals(new float[] {1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1}, x);
    }

    @Test
    void outSizeIsTheLectureFormula() {
        assertEquals(14, Im2Col.outSize(28, 5, 2, 2));
        assertEquals(3, Im2Col.outSize(5, 3, 1, 0));
        assertEquals(28, Im2Col.outSize(28, 3, 1, 1));
        assertEquals(3, Im2Col.outSize(7, 3, 2, 0));
        assertEquals(4, Im2Col.outSize(8, 3, 2, 1));
    }
}
