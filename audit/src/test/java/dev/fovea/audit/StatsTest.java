package dev.fovea.audit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest {
    @Test
    void percentilesInterpolateAsNumPyDoes() {
        double[] s = {1, 2, 3, 4, 10};
        // numpy.percentile([1, 2, 3, 4, 10], [0, 10, 50, 90, 100]) = [1.0, 1.4, 3.0, 7.6, 10.0]
        assertEquals(1.0, Stats.percentile(s, 0), 1e-12);
        assertEquals(1.4, Stats.percentile(s, 10), 1e-12);
        assertEquals(3.0, Stats.percentile(s, 50), 1e-12);
        assertEquals(7.6, Stats.percentile(s, 90), 1e-12);
        assertEquals(10.0, Stats.percentile(s, 100), 1e-12);
        assertEquals(0, Stats.percentile(new double[0], 50));
    }

    @Test
    void nearestRankIsTheSmallestValueWithEnoughAtOrBelowIt() {
        double[] s = {1, 2, 3, 4, 10};
        assertEquals(1, Stats.nearestRank(s, 10));
        assertEquals(1, Stats.nearestRank(s, 20));
        assertEquals(2, Stats.nearestRank(s, 21));
        assertEquals(3, Stats.nearestRank(s, 50));
        assertEquals(10, Stats.nearestRank(s, 90));
        assertTrue(Double.isNaN(Stats.nearestRank(new double[0], 50)));
        assertEquals(Double.POSITIVE_INFINITY, Stats.nearestRank(new double[] {0.1, Double.POSITIVE_INFINITY}, 90));
    }

    @Test
    void medianDoesNotChangeItsInput() {
        double[] v = {3, 1, 2};
        assertEquals(2, Stats.median(v));
        assertEquals(3, v[0], "input left in its order");
    }

    @Test
    void accuracyCountsMatches() {
        assertEquals(0.5, Stats.accuracy(new int[] {1, 2, 3, 4}, new int[] {1, 0, 3, 0}));
        assertEquals(0, Stats.accuracy(new int[0], new int[0]));
        var e = assertThrows(IllegalArgumentException.class, () -> Stats.accuracy(new int[2], new int[3]));
        assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
    }

    @Test
    void summaryOfASample() {
        Stats.Summary s = Stats.Summary.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, s.mean());
        assertEquals(2.5, s.median());
        assertEquals(1.3, s.p10(), 1e-12);
        assertEquals(3.7, s.p90(), 1e-12);
        assertEquals(4, s.max());
    }
}
