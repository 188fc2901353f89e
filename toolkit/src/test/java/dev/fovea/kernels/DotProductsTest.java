package dev.fovea.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link DotProducts} against dot products in double precision, for shapes that leave every kind of edge. */
class DotProductsTest {
    @ParameterizedTest(name = "M={0} N={1} K={2} beta={3}")
    @CsvSource({"1,1,1,0", "2,4,16,0", "3,5,17,1", "6,25,892,0", "16,150,400,0.5", "7,9,31,1"})
    void matchesDoublePrecisionDotProducts(int m, int n, int k, float beta) {
        SplittableRandom r = new SplittableRandom(m * 1000L + n * 10L + k);
        int lda = k + 3;
        float[] a = new float[5 + m * lda];
        float[] b = new float[7 + n * (k + 11)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (2 * r.nextDouble() - 1);
        }
        int[] rows = new int[n];
        for (int j = 0; j < n; j++) {
            rows[n - 1 - j] = 7 + j * (k + 11);
        }
        int ldc = n + 2;
        float[] c = new float[m * ldc];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextDouble();
        }
        float[] before = c.clone();
        DotProducts.multiply(m, n, k, a, 5, lda, b, rows, beta, c, 0, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (double) a[5 + i * lda + t] * b[rows[j] + t];
                }
                double expected = beta * before[i * ldc + j] + s;
                assertEquals(expected, c[i * ldc + j], 1e-5 * (1 + Math.sqrt(k)), "C[" + i + "][" + j + "]");
            }
            for (int j = n; j < ldc; j++) {
                assertEquals(before[i * ldc + j], c[i * ldc + j], "C[" + i + "][" + j + "] beyond N must stay");
            }
        }
    }
}
