package dev.fovea.attacks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APGD on the bundled LeNet-5: the paper's checkpoints, at least PGD's strength, targets reached, batch-size invariance. */
class ApgdTest {
    static Fixtures.Slice data;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(48);
        y = data.y();
    }

    static AttackConfig config(Attack a, Norm norm, double eps, int steps, Target target, long seed) {
        return a.defaults(norm, eps).withSteps(steps).withTarget(target).withSeed(seed);
    }

    @Test
    void checkpointsFollowThePaper() {
        // p = 0, 0.22, 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99 (then 1.05 > 1): w_j = ceil(p_j * N).
        assertArrayEquals(new int[] {0, 22, 41, 57, 70, 80, 87, 93, 99}, Apgd.checkpoints(100));
        assertArrayEquals(new int[] {0, 220, 410, 570, 700, 800, 870, 930, 990}, Apgd.checkpoints(1000));
        assertArrayEquals(new int[] {0, 3, 5, 6, 7, 8, 9}, Apgd.checkpoints(10));
        assertArrayEquals(new int[] {0}, Apgd.checkpoints(1));
    }

    @Test
    void checkpointIntervalsShrinkByThreePercentDownToSix() {
        int[] w = Apgd.checkpoints(10000);
        assertEquals(2200, w[1]);
        for (int j = 2; j < w.length; j++) {
            int expected = Math.max(w[j - 1] - w[j - 2] - 300, 600);
            assertEquals(expected, w[j] - w[j - 1], "interval " + j);
        }
    }

    @Test
    void stepIsHalvedUnderThePapersConditions() {
        double[] rising = {0, 1, 2, 3, 4};
        double[] threeOfFour = {0, 1, 2, 3, 2.5};
        double[] twoOfFour = {0, 1, 0.5, 1.5, 1};
        // (1) fewer than 75% of the steps raised the loss.
        assertTrue(Apgd.halve(twoOfFour, 0, 4, true, 0, 1.5, Apgd.RHO));
        assertTrue(!Apgd.halve(threeOfFour, 0, 4, true, 0, 3, Apgd.RHO));
        assertTrue(!Apgd.halve(rising, 0, 4, false, 0, 4, Apgd.RHO));
        // (2) not halved at the last checkpoint and no better loss since.
        assertTrue(Apgd.halve(threeOfFour, 0, 4, false, 3, 3, Apgd.RHO));
        assertTrue(!Apgd.halve(threeOfFour, 0, 4, true, 3, 3, Apgd.RHO), "halved last time: condition (2) does not apply");
        // Only the window [from, to] counts.
        assertTrue(!Apgd.halve(new double[] {5, 0, 1, 2, 3, 4}, 1, 5, true, 0, 5, Apgd.RHO));
    }

    @Test
    void atLeastAsStrongAsPgdAtEqualSteps() {
        Attack pgd = Attacks.named("pgd");
        Attack apgd = Attacks.named("apgd-ce");
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            for (double e : new double[] {0.03}) {
                double eps = norm == Norm.LINF ? e : 10 * e;
                double p = data.run(pgd, config(pgd, norm, eps, 20, Target.UNTARGETED, 0)).robustAccuracy(y);
                double a = data.run(apgd, config(apgd, norm, eps, 20, Target.UNTARGETED, 0)).robustAccuracy(y);
                assertTrue(a <= p, norm + " eps " + eps + ": APGD-CE robust accuracy " + a + " > PGD's " + p);
            }
        }
    }

    @Test
    void dlrLossFoolsToo() {
        Attack apgd = Attacks.named("apgd-dlr");
        AttackResult r = data.run(apgd, config(apgd, Norm.LINF, 0.1, 20, Target.UNTARGETED, 0));
        assertTrue(r.robustAccuracy(y) < 0.2, "APGD-DLR robust accuracy at eps 0.1: " + r.robustAccuracy(y));
    }

    @Test
    void targetedApgdReachesTheTargetAtALargeEps() {
        for (String name : new String[] {"apgd-t", "apgd-ce"}) {
            Attack a = Attacks.named(name);
            AttackResult r = data.run(a, config(a, Norm.LINF, 0.3, 20, new Target.RandomClass(), 5));
            assertTrue(r.successRate() >= 0.9, name + " targeted success " + r.successRate());
            for (int i = 0; i < r.size(); i++) {
                assertTrue(r.target()[i] != y[i] && r.target()[i] >= 0);
                assertEquals(r.success()[i], r.adversarialPrediction()[i] == r.target()[i]);
            }
        }
    }

    @Test
    void untargetedApgdTFoolsAlmostEverySampleAtAModerateEps() {
        Attack a = Attacks.named("apgd-t");
        AttackResult r = data.run(a, config(a, Norm.LINF, 0.1, 10, Target.UNTARGETED, 0));
        assertTrue(r.robustAccuracy(y) <= 0.05, "APGD-T robust accuracy at eps 0.1: " + r.robustAccuracy(y));
        for (int i = 0; i < r.size(); i++) {
            long q = r.queries()[i];
            assertTrue(q >= 1 && q <= 1 + 9 * 11, "queries " + q);
            if (!r.success()[i]) {
                assertEquals(1 + 9 * 11, q, "a robust sample is attacked towards all 9 classes");
            }
        }
    }

    @Test
    void queriesAreGradientsPerSampleAndStopOnceFooled() {
        Attack a = Attacks.named("apgd-ce");
        AttackResult r = data.run(a, config(a, Norm.LINF, 0.05, 20, Target.UNTARGETED, 0));
        for (int i = 0; i < r.size(); i++) {
            // One forward pass on the clean image, then one gradient per step and one at the end.
            long q = r.queries()[i];
            if (r.cleanPrediction()[i] != y[i]) {
                assertEquals(1, q, "sample " + i + " was misclassified already");
            } else if (!r.success()[i]) {
                assertEquals(22, q, "sample " + i + " never fooled runs all steps");
            } else {
                assertTrue(q >= 2 && q <= 22, "sample " + i + ": " + q + " queries");
            }
        }
        assertTrue(java.util.Arrays.stream(r.queries()).anyMatch(q -> q > 2 && q < 22), "no sample stopped early");
    }

    @Test
    void resultDoesNotDependOnTheBatchSize() throws IOException {
        Fixtures.Slice small = data.withBatch(5);
        for (String name : new String[] {"apgd-ce", "apgd-t"}) {
            Attack a = Attacks.named(name);
            AttackConfig c = config(a, Norm.L2, 0.5, 10, Target.UNTARGETED, 3);
            assertArrayEquals(data.run(a, c).adversarial().data(), small.run(a, c).adversarial().data(), name);
        }
    }
}
