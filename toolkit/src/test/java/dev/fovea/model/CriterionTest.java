package dev.fovea.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The success tests: any wrong class, a target class, or per sample one or the other; validated and immutable. */
class CriterionTest {
    @Test
    void misclassificationIsAnyClassButTheLabel() {
        Criterion c = Criterion.misclassification(new int[] {3, 0, 7});
        assertEquals(3, c.size());
        assertFalse(c.targeted());
        assertFalse(c.isAdversarial(0, 3));
        assertTrue(c.isAdversarial(0, 4));
        assertArrayEquals(new boolean[] {false, true, true}, c.test(new int[] {3, 1, 0}));
        assertEquals(-1, c.target(1));
        assertEquals(7, c.label(2));
        assertEquals(7, c.aim(2), "untargeted: the loss is the label's");
        assertArrayEquals(new int[] {-1, -1, -1}, c.targets());
    }

    @Test
    void targetedIsTheTargetOnly() {
        Criterion c = Criterion.targeted(new int[] {5, 2});
        assertTrue(c.targeted());
        assertTrue(c.targeted(1));
        assertTrue(c.isAdversarial(0, 5));
        assertFalse(c.isAdversarial(0, 4), "a wrong class other than the target is no success");
        assertArrayEquals(new boolean[] {true, false}, c.test(new int[] {5, 3}));
        assertEquals(2, c.target(1));
        assertEquals(2, c.aim(1));
        assertEquals(-1, c.label(0), "labels unknown");
    }

    @Test
    void mixedFormDecidesPerSample() {
        Criterion c = Criterion.of(new int[] {1, 1, 4}, new int[] {-1, 6, -1});
        assertTrue(c.targeted(), "some sample has a target");
        assertFalse(c.targeted(0));
        assertTrue(c.targeted(1));
        // targets[i] >= 0 ? pred == target : pred != label
        int[][] cases = {{0, 0, 1}, {0, 1, 0}, {1, 6, 1}, {1, 0, 0}, {1, 1, 0}, {2, 4, 0}, {2, 6, 1}};
        for (int[] k : cases) {
            assertEquals(k[2] == 1, c.isAdversarial(k[0], k[1]), "sample " + k[0] + " predicted " + k[1]);
        }
        assertArrayEquals(new int[] {1, 6, 4}, new int[] {c.aim(0), c.aim(1), c.aim(2)});
        assertArrayEquals(new int[] {1, 1, 4}, c.labels());
        assertFalse(Criterion.of(new int[] {1, 2}, new int[] {-1, -1}).targeted());
    }

    @Test
    void gatherKeepsEachSamplesTest() {
        Criterion c = Criterion.of(new int[] {1, 2, 3}, new int[] {-1, 0, -1});
        Criterion g = c.gather(new int[] {2, 1});
        assertEquals(2, g.size());
        assertEquals(3, g.label(0));
        assertEquals(0, g.target(1));
        assertArrayEquals(new boolean[] {true, true}, g.test(new int[] {0, 0}));
    }

    @Test
    void arraysAreCopied() {
        int[] y = {1, 2};
        int[] t = {-1, 3};
        Criterion c = Criterion.of(y, t);
        y[0] = 9;
        t[0] = 9;
        c.labels()[1] = 9;
        c.targets()[1] = 9;
        assertEquals(1, c.label(0));
        assertEquals(-1, c.target(0));
        assertEquals(2, c.label(1));
        assertEquals(3, c.target(1));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Criterion.misclassification(null));
        assertThrows(IllegalArgumentException.class, () -> Criterion.misclassification(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> Criterion.targeted(new int[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> Criterion.of(new int[] {0, 1}, new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> Criterion.of(new int[] {0}, new int[] {-2}));
        assertThrows(IllegalArgumentException.class, () -> Criterion.of(new int[] {-1}, new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> Criterion.misclassification(new int[] {0, 1}).test(new int[] {0}));
    }
}
