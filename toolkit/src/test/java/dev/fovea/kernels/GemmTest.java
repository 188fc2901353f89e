package dev.fovea.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@link Gemm#gemm} against the naive product, for every transpose combination, scaling and odd layout. */
class GemmTest {
    private static final float[] SCALES = {0f, 1f, 0.5f, -2f};

    /** One multiply with its storage: operands at offsets inside larger arrays, leading dimensions past the width. */
    private record Problem(boolean transA, boolean transB, int m, int n, int k, int aOff, int lda, int bOff, int ldb,
                           int cOff, int ldc, float[] a, float[] b, float[] c) {
        static Problem random(boolean transA, boolean transB, int m, int n, int k, int pad, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
            int aOff = pad * 3, bOff = pad * 5, cOff = pad * 7;
            return new Problem(transA, transB, m, n, k, aOff, lda, bOff, ldb, cOff, ldc,
                    fill(aOff + aRows * lda + pad, r), fill(bOff + bRows * ldb + pad, r), fill(cOff + m * ldc + pad, r));
        }

        double[] expected(float alpha, float beta) {
            return Reference.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        float[] run(float alpha, float beta) {
            float[] out = c.clone();
            Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        boolean inBlock(int at) {
            if (m == 0 || n == 0) {
                return false;
            }
            int rel = at - cOff;
            return rel >= 0 && rel / ldc < m && rel % ldc < n;
        }
    }

    private static float[] fill(int length, SplittableRandom r) {
        float[] d = new float[length];
        for (int i = 0; i < length; i++) {
            d[i] = (float) (2 * r.nextDouble() - 1);
        }
        return d;
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {{1, 1, 1}, {3, 5, 7}, {17, 300, 129}, {64, 1000, 33}, {2, 3, 0}, {0, 4, 3}, {5, 0, 2}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesNaiveProductForAllScalings(int m, int n, int k, boolean transA, boolean transB) {
        for (int pad : new int[] {0, 3}) {
            Problem p = Problem.random(transA, transB, m, n, k, pad, 31L * m + 7L * n + k + pad);
            for (float alpha : SCALES) {
                for (float beta : SCALES) {
                    String what = "gemm " + m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB
                            + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
                    double[] expected = p.expected(alpha, beta);
                    float[] actual = p.run(alpha, beta);
                    ArrayAssert.assertClose(what, expected, actual, 1e-5);
                    for (int i = 0; i < actual.length; i++) {
                        if (!p.inBlock(i) && Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(p.c()[i])) {
                            fail(what + ": wrote index " + i + " outside the m x n block of C");
                        }
                    }
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesWhateverCHeld() {
        Problem p = Problem.random(false, false, 9, 11, 4, 2, 5);
        for (int i = 0; i < p.c().length; i++) {
            if (p.inBlock(i)) {
                p.c()[i] = Float.NaN;
            }
        }
        float[] out = p.run(1f, 0f);
        for (int i = 0; i < out.length; i++) {
            if (p.inBlock(i)) {
                assertTrue(Float.isFinite(out[i]), "gemm with beta=0: stale NaN in C survived at index " + i);
            }
        }
        ArrayAssert.assertClose("gemm beta=0 over NaN", p.expected(1f, 0f), out, 1e-5);
    }

    /** Same inputs, same bits: the tile sums never depend on scheduling. */
    @Test
    void repeatedRunsAreBitIdentical() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Problem p = Problem.random(ta, tb, 96, 700, 300, 1, 11);
                float[] first = p.run(0.5f, -2f);
                float[] second = p.run(0.5f, -2f);
                assertArrayEquals(first, second, "gemm transA=" + ta + " transB=" + tb + ": two runs differ");
            }
        }
    }

    /**
     * The thread count is read once per JVM, so instead of changing it this cuts the same product into other
     * tiles: one row at a time (a single tile each, run inline) and in column strips that do not line up with the
     * kernel's own. Each entry must come out with the same bits, which is what makes results independent of the
     * number of threads (those only change how rows are grouped into tiles).
     */
    @Test
    void resultDoesNotDependOnTiling() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Problem p = Problem.random(ta, tb, 70, 530, 260, 2, 13);
                float[] whole = p.run(1f, 1f);

                float[] byRows = p.c().clone();
                for (int i = 0; i < p.m(); i++) {
                    int aOff = p.aOff() + (ta ? i : i * p.lda());
                    Gemm.gemm(ta, tb, 1, p.n(), p.k(), 1f, p.a(), aOff, p.lda(), p.b(), p.bOff(), p.ldb(),
                            1f, byRows, p.cOff() + i * p.ldc(), p.ldc());
                }
                assertArrayEquals(whole, byRows, "gemm transA=" + ta + " transB=" + tb + ": row-by-row differs");

                float[] byStrips = p.c().clone();
                for (int j0 = 0; j0 < p.n(); j0 += 100) {
                    int w = Math.min(100, p.n() - j0);
                    int bOff = p.bOff() + (tb ? j0 * p.ldb() : j0);
                    Gemm.gemm(ta, tb, p.m(), w, p.k(), 1f, p.a(), p.aOff(), p.lda(), p.b(), bOff, p.ldb(),
                            1f, byStrips, p.cOff() + j0, p.ldc());
                }
                assertArrayEquals(whole, byStrips, "gemm transA=" + ta + " transB=" + tb + ": column strips differ");
            }
        }
    }

    @Test
    void smallIntegerProductIsExact() {
        // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        Gemm.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertEquals(Arrays.toString(new float[] {19, 22, 43, 50}), Arrays.toString(c));
        Gemm.gemm(true, true, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        // A^T B^T = (B A)^T: B A = [[23,34],[31,46]]
        assertEquals(Arrays.toString(new float[] {23, 31, 34, 46}), Arrays.toString(c));
    }
}
