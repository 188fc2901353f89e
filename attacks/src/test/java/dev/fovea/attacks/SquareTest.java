package dev.fovea.attacks;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Square attack on the bundled LeNet-5 behind a wrapper that counts forward passes and refuses gradients. */
class SquareTest {
    static Fixtures.Slice data;

    /** Logits only: counts the samples it sees, fails any gradient request. */
    static final class LogitsOnly extends Fixtures.Counting {
        LogitsOnly(Classifier inner) {
            super(inner);
        }

        @Override
        public Gradient gradient(Tensor xs, Objective objective) {
            throw new AssertionError("black-box attack asked for a gradient");
        }

        @Override
        public Tensor activations(Tensor xs, String layer) {
            throw new AssertionError("black-box attack read a layer");
        }

        @Override
        public LayerGradient layerGradient(Tensor xs, String layer, Objective objective) {
            throw new AssertionError("black-box attack asked for a layer gradient");
        }
    }

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(32);
    }

    static AttackConfig config(Norm norm, double eps, int queries, long seed) {
        return new Square().defaults(norm, eps).withSteps(queries).withSeed(seed);
    }

    @Test
    void lowersAccuracyFromLogitsAloneAndCountsEveryQuery() {
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.LINF ? 0.1 : 2.0;
            int budget = 200;
            LogitsOnly m = new LogitsOnly(data.model());
            AttackResult r = data.on(m).run(new Square(), config(norm, eps, budget, 0));
            double clean = data.accuracy(r.cleanPrediction());
            long sum = 0;
            for (int i = 0; i < r.size(); i++) {
                long q = r.queries()[i];
                assertTrue(q >= 1 && q <= budget, norm + " sample " + i + ": " + q + " queries");
                if (!r.success()[i]) {
                    assertEquals(budget, q, norm + " sample " + i + " was never fooled yet stopped");
                }
                sum += q;
            }
            // The template's own two prediction passes (clean and adversarial) are not the attack's queries.
            assertEquals(sum + 2L * r.size(), m.images, norm + ": counted queries");
            assertTrue(r.robustAccuracy(data.y()) < clean - 0.2, norm + ": robust accuracy " + r.robustAccuracy(data.y()) + " vs clean " + clean);
            assertTrue(java.util.Arrays.stream(r.queries()).anyMatch(q -> q > 1 && q < budget), norm + ": no sample fooled after the start");
        }
    }

    @Test
    void moreQueriesNeverHelpTheModel() {
        Square s = new Square();
        double few = data.run(s, config(Norm.LINF, 0.05, 40, 1)).robustAccuracy(data.y());
        double many = data.run(s, config(Norm.LINF, 0.05, 200, 1)).robustAccuracy(data.y());
        assertTrue(many <= few, "200 queries: " + many + " > 40 queries: " + few);
    }

    @Test
    void resultDoesNotDependOnTheBatchSize() throws IOException {
        Fixtures.Slice small = data.withBatch(3);
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            AttackConfig c = config(norm, norm == Norm.LINF ? 0.05 : 1.0, 60, 9);
            Square s = new Square();
            assertArrayEquals(data.run(s, c).adversarial().data(), small.run(s, c).adversarial().data(), norm.name());
        }
    }

    @Test
    void sideFollowsThePaperScheduleRescaledToTheBudget() {
        assertEquals(0.8, Square.p(0.8, 0, 10000), 1e-12);
        assertEquals(0.8, Square.p(0.8, 10, 10000), 1e-12);
        assertEquals(0.4, Square.p(0.8, 11, 10000), 1e-12);
        assertEquals(0.2, Square.p(0.8, 51, 10000), 1e-12);
        assertEquals(0.8 / 512, Square.p(0.8, 9999, 10000), 1e-12);
        // 5000 queries: iteration 1000 is iteration 2000 of 10000.
        assertEquals(0.8 / 32, Square.p(0.8, 1000, 5000), 1e-12);
        assertEquals(0.8 / 64, Square.p(0.8, 1001, 5000), 1e-12);
    }

    @Test
    void pseudoGaussianPatternHasUnitNormAndOppositeHalves() {
        for (int s : new int[] {3, 5, 8}) {
            float[] e = Square.eta(s, new SplittableRandom(0));
            assertEquals(1.0, Norm.L2.measure(e, 0, e.length), 1e-5);
            double sum = 0;
            for (float v : e) {
                sum += v;
            }
            if (s % 2 == 0) {
                assertEquals(0.0, sum, 1e-5, "even side: the halves cancel");
            }
        }
    }
}
