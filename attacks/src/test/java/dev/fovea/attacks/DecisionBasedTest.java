package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision-based attacks (Boundary, HopSkipJump) on the bundled LeNet-5 behind a wrapper that refuses
 * gradients and counts every image: they read labels only, count each query and keep to the budget, improve with
 * more queries, and HopSkipJump is the more query-efficient of the two, as its paper reports.
 */
class DecisionBasedTest {
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(16);
    }

    static AttackConfig config(String attack, Norm norm, int budget) {
        return Attacks.named(attack).defaults(norm, norm == Norm.L2 ? 28 : 1).withSteps(budget).withSeed(4);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void askOnlyForLabelsAndKeepToTheBudget() {
        for (Object[] c : new Object[][] {{"boundary", Norm.L2}, {"hsj", Norm.L2}, {"hsj", Norm.LINF}}) {
            int budget = 400;
            SquareTest.LogitsOnly m = new SquareTest.LogitsOnly(data.model());
            AttackResult r = data.on(m).run(Attacks.named((String) c[0]), config((String) c[0], (Norm) c[1], budget));
            long sum = 0;
            for (int i = 0; i < r.size(); i++) {
                assertTrue(r.queries()[i] >= 1 && r.queries()[i] <= budget, c[0] + " sample " + i + ": " + r.queries()[i] + " queries");
                assertTrue(r.success()[i] == Double.isFinite(r.minimalNorm()[i]), c[0] + " sample " + i);
                sum += r.queries()[i];
            }
            // The template's prediction passes (clean and adversarial) are not the attack's queries.
            assertEquals(sum + 2L * r.size(), m.images, c[0] + ": counted queries");
            assertTrue(r.successRate() > 0.9, c[0] + " " + c[1] + ": fools " + r.successRate() + " at an unbounded budget");
        }
    }

    @Test
    void moreQueriesNeverGiveTheBoundaryAttackALargerNorm() {
        AttackResult few = data.run(Attacks.named("boundary"), config("boundary", Norm.L2, 300));
        AttackResult many = data.run(Attacks.named("boundary"), config("boundary", Norm.L2, 2000));
        boolean smaller = false;
        for (int i = 0; i < data.size(); i++) {
            assertTrue(many.minimalNorm()[i] <= few.minimalNorm()[i], "sample " + i + ": " + many.minimalNorm()[i] + " > " + few.minimalNorm()[i]);
            smaller |= many.minimalNorm()[i] < few.minimalNorm()[i];
        }
        assertTrue(smaller);
    }

    @Test
    void hopSkipJumpNeedsFewerQueriesThanTheBoundaryAttack() {
        for (int budget : new int[] {500, 2000}) {
            double hsj = median(data.run(Attacks.named("hsj"), config("hsj", Norm.L2, budget)).minimalNorm());
            double boundary = median(data.run(Attacks.named("boundary"), config("boundary", Norm.L2, budget)).minimalNorm());
            System.out.printf("median L2 at %d queries: hsj %.4f, boundary %.4f%n", budget, hsj, boundary);
            assertTrue(hsj < boundary, budget + " queries: hsj median L2 " + hsj + " vs boundary " + boundary);
        }
        double few = median(data.run(Attacks.named("hsj"), config("hsj", Norm.LINF, 300)).minimalNorm());
        double many = median(data.run(Attacks.named("hsj"), config("hsj", Norm.LINF, 2000)).minimalNorm());
        assertTrue(many < few, "L-inf: 2000 queries median " + many + " vs 300 " + few);
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() throws IOException {
        Fixtures.Slice big = data.first(6);
        Fixtures.Slice little = big.withBatch(4);
        for (String a : new String[] {"boundary", "hsj"}) {
            AttackConfig c = config(a, Norm.L2, 300);
            AttackResult one = big.run(Attacks.named(a), c);
            AttackResult other = little.run(Attacks.named(a), c);
            assertArrayEquals(one.adversarial().data(), other.adversarial().data(), a);
            assertArrayEquals(one.queries(), other.queries(), a);
        }
    }

    @Test
    void refuseTargetsAndTheNormsTheyLack() {
        AttackConfig targeted = config("hsj", Norm.L2, 100).withTarget(new Target.RandomClass());
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> data.run(Attacks.named("hsj"), targeted));
        assertEquals("target", e.option());
        assertEquals("target: hsj is untargeted only, got a target", e.getMessage());
        e = assertThrows(InvalidOptionException.class, () -> data.run(Attacks.named("boundary"), config("boundary", Norm.LINF, 100)));
        assertEquals("norm", e.option());
        assertEquals("norm: boundary works in l2, got linf", e.getMessage());
        e = assertThrows(InvalidOptionException.class, () -> Attacks.named("hsj").options(Map.of("maxEvals", "10")));
        assertEquals("maxEvals must be at least initEvals (100), got 10", e.getMessage());
        e = assertThrows(InvalidOptionException.class, () -> Attacks.named("boundary").options(Map.of("stepAdaptation", "1")));
        assertEquals("stepAdaptation must be > 1, got 1.0", e.getMessage());
    }
}
