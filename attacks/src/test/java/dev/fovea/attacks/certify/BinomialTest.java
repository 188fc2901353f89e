package dev.fovea.attacks.certify;

import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Clopper-Pearson bound, the binomial test and the radius against SciPy ({@code fixtures/make_certify_golden.py}). */
class BinomialTest {
    @Test
    void matchesScipy() throws IOException {
        List<String> rows = Files.readAllLines(FixturePaths.fixture("golden", "certify", "statistics.csv")).stream()
                .filter(l -> !l.startsWith("#") && !l.startsWith("kind")).toList();
        int[] seen = new int[3];
        for (String row : rows) {
            String[] f = row.split(",");
            int k = Integer.parseInt(f[1]);
            int n = Integer.parseInt(f[2]);
            double alpha = Double.parseDouble(f[3]);
            double want = Double.parseDouble(f[4]);
            switch (f[0]) {
                case "lower" -> {
                    assertEquals(want, Binomial.lowerBound(k, n, alpha), 1e-13 + 1e-12 * want, row);
                    seen[0]++;
                }
                case "pvalue" -> {
                    assertEquals(want, Binomial.pValue(k, n), 1e-12 * want + 1e-15, row);
                    seen[1]++;
                }
                case "radius" -> {
                    assertEquals(want, Binomial.radius(1, Binomial.lowerBound(k, n, alpha)), 1e-9, row);
                    seen[2]++;
                }
                default -> throw new IllegalStateException(row);
            }
        }
        assertTrue(seen[0] >= 20 && seen[1] >= 16 && seen[2] >= 10, java.util.Arrays.toString(seen));
    }

    @Test
    void boundsAreMonotoneAndWithinTheUnitInterval() {
        double last = -1;
        for (int k = 0; k <= 200; k++) {
            double lo = Binomial.lowerBound(k, 200, 0.001);
            boolean inRange = k == 0 ? lo == 0 : lo > last && lo < (double) k / 200;
            assertTrue(inRange, "k " + k + ": " + lo + " after " + last);
            last = lo;
        }
        assertTrue(Binomial.lowerBound(900, 1000, 0.01) > Binomial.lowerBound(900, 1000, 0.001), "more confidence, a lower bound");
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        assertEquals("lowerBound: expected 0 <= k <= n, got k = 5, n = 4",
                assertThrows(IllegalArgumentException.class, () -> Binomial.lowerBound(5, 4, 0.01)).getMessage());
        assertEquals("lowerBound: expected alpha in (0,1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> Binomial.lowerBound(1, 4, 1)).getMessage());
        assertEquals("radius: expected a probability in [0.5,1), got 0.4",
                assertThrows(IllegalArgumentException.class, () -> Binomial.radius(1, 0.4)).getMessage());
    }
}
