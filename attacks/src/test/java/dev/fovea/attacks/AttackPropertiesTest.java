package dev.fovea.attacks;

import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every registered attack against the properties any attack must have, on the bundled LeNet-5 and the first
 * fixture images: inside the ball and the box, input untouched, model evaluations within {@link Attack#queryBound}, same seed same result, eps 0 changes nothing,
 * robust accuracy never rises with eps. A registered attack missing from {@link #TABLE} fails the build.
 */
class AttackPropertiesTest {
    /** Each attack with the norms it is tested under. */
    static final List<Object[]> TABLE = List.of(
            new Object[] {"fgsm", Norm.LINF}, new Object[] {"fgm", Norm.L2}, new Object[] {"bim", Norm.LINF}, new Object[] {"bim", Norm.L2},
            new Object[] {"pgd", Norm.LINF}, new Object[] {"pgd", Norm.L2}, new Object[] {"mifgsm", Norm.LINF},
            new Object[] {"eot-pgd", Norm.LINF}, new Object[] {"eot-pgd", Norm.L2},
            new Object[] {"apgd-ce", Norm.LINF}, new Object[] {"apgd-ce", Norm.L2}, new Object[] {"apgd-dlr", Norm.LINF},
            new Object[] {"apgd-t", Norm.LINF}, new Object[] {"square", Norm.LINF}, new Object[] {"square", Norm.L2},
            new Object[] {"autoattack", Norm.LINF}, new Object[] {"autoattack-fast", Norm.LINF},
            new Object[] {"deepfool", Norm.L2}, new Object[] {"deepfool", Norm.LINF}, new Object[] {"cw", Norm.L2}, new Object[] {"jsma", Norm.L0},
            new Object[] {"boundary", Norm.L2}, new Object[] {"hsj", Norm.L2}, new Object[] {"hsj", Norm.LINF},
            new Object[] {"fab", Norm.LINF}, new Object[] {"fab", Norm.L2}, new Object[] {"fab-t", Norm.LINF});

    /** Fewer steps (queries for square) than the defaults, for the slower attacks, to keep this table fast. */
    static final java.util.Map<String, Integer> STEPS = java.util.Map.ofEntries(
            java.util.Map.entry("apgd-ce", 20), java.util.Map.entry("apgd-dlr", 20), java.util.Map.entry("apgd-t", 10), java.util.Map.entry("square", 100), java.util.Map.entry("autoattack", 5), java.util.Map.entry("autoattack-fast", 5), java.util.Map.entry("deepfool", 20), java.util.Map.entry("cw", 20), java.util.Map.entry("jsma", 20), java.util.Map.entry("boundary", 600), java.util.Map.entry("hsj", 600),
            java.util.Map.entry("fab", 10), java.util.Map.entry("fab-t", 5), java.util.Map.entry("eot-pgd", 5));

    static Fixtures.Slice data;
    static Tensor x;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(48);
        x = data.x();
        y = data.y();
    }

    static List<Object[]> table() {
        return TABLE;
    }

    static double eps(Norm n, double linf) {
        return n == Norm.L2 ? linf * 10 : linf;
    }

    @Test
    void everyRegisteredAttackIsInTheTable() {
        Set<String> registered = new TreeSet<>();
        Attacks.all().forEach(a -> registered.add(a.name()));
        Set<String> tested = new TreeSet<>();
        TABLE.forEach(r -> tested.add((String) r[0]));
        assertEquals(registered, tested);
    }

    private static AttackConfig config(Attack a, Norm norm, double eps, long seed) {
        AttackConfig d = a.defaults(norm, eps);
        return d.withSteps(STEPS.getOrDefault(a.name(), d.steps())).withSeed(seed);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void staysInTheBallAndTheBoxLeavesTheInputAndKeepsToItsQueryBound(String name, Norm norm) {
        Attack a = Attacks.named(name);
        double eps = eps(norm, 0.05);
        Tensor before = x.copy();
        AttackConfig cfg = config(a, norm, eps, 1);
        AttackResult r = data.run(a, cfg);
        assertArrayEquals(before.data(), x.data(), "input untouched");
        long bound = a.queryBound(cfg, 10, 784);
        for (int i = 0; i < r.size(); i++) {
            assertTrue(r.queries()[i] <= bound, name + " sample " + i + ": " + r.queries()[i] + " model evaluations, bound " + bound);
        }
        for (int i = 0; i < r.size(); i++) {
            double size = norm == Norm.LINF ? r.linf()[i] : norm == Norm.L2 ? r.l2()[i] : r.l0()[i] / 784;
            assertTrue(size <= eps * (1 + 1e-5) + 1e-6, name + " sample " + i + ": norm " + size + " > eps " + eps);
        }
        for (float v : r.adversarial().data()) {
            assertTrue(v >= 0f && v <= 1f, name + ": pixel " + v + " outside [0,1]");
        }
        assertTrue(r.successRate() > 0, name + " fools nothing at eps " + eps);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void sameSeedSameResult(String name, Norm norm) {
        Attack a = Attacks.named(name);
        AttackConfig c = config(a, norm, eps(norm, 0.05), 7);
        assertArrayEquals(data.run(a, c).adversarial().data(), data.run(a, c).adversarial().data());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void epsZeroChangesNothing(String name, Norm norm) {
        Attack a = Attacks.named(name);
        AttackResult r = data.run(a, config(a, norm, 0, 1));
        assertArrayEquals(x.data(), r.adversarial().data());
        assertEquals(0, r.successRate() - (1 - data.accuracy(r.cleanPrediction())), 1e-12);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("table")
    void robustAccuracyNeverRisesWithEps(String name, Norm norm) {
        Attack a = Attacks.named(name);
        double last = 1.0;
        double[] budgets = {0, 0.02, 0.05, 0.1, 0.2};
        // A minimum-norm attack's search ignores eps: search once, as the command line does, and project onto each ball.
        List<AttackResult> once = a.minimumNorm()
                ? data.runAtBudgets(a, config(a, norm, eps(norm, 0.2), 3), java.util.Arrays.stream(budgets).map(e -> eps(norm, e)).toArray())
                : null;
        for (int b = 0; b < budgets.length; b++) {
            double e = budgets[b];
            double acc = (once != null ? once.get(b) : data.run(a, config(a, norm, eps(norm, e), 3))).robustAccuracy(y);
            assertTrue(acc <= last + 1e-12, name + ": robust accuracy rose from " + last + " to " + acc + " at eps " + e);
            last = acc;
        }
    }

    @Test
    void fgsmIsOneSignedGradientStep() {
        double eps = 0.03;
        Attack fgsm = Attacks.named("fgsm");
        AttackResult r = data.run(fgsm, fgsm.defaults(eps));
        Tensor g = data.model().gradient(x, Objective.crossEntropy(y)).gradient();
        for (int i = 0; i < x.size(); i++) {
            int n = i / 784;
            float expected = Math.max(0f, Math.min(1f, x.data()[i] + (float) eps * Math.signum(g.data()[i])));
            if (r.cleanPrediction()[n] != y[n]) {
                continue; // already misclassified: FGSM stops before its step
            }
            assertEquals(expected, r.adversarial().data()[i], 1e-6f, "pixel " + i);
        }
    }

    @Test
    void pgdIsAtLeastAsStrongAsFgsm() {
        for (double eps : new double[] {0.02, 0.05, 0.1}) {
            double f = data.run(Attacks.named("fgsm"), Attacks.named("fgsm").defaults(eps)).robustAccuracy(y);
            double p = data.run(Attacks.named("pgd"), Attacks.named("pgd").defaults(eps)).robustAccuracy(y);
            assertTrue(p <= f, "eps " + eps + ": PGD robust accuracy " + p + " > FGSM's " + f);
        }
    }

    @Test
    void targetedPgdReachesTheTargetAtALargeEps() {
        Attack pgd = Attacks.named("pgd");
        AttackConfig c = pgd.defaults(0.3).withSteps(40).withStepSize(0.02).withTarget(new Target.RandomClass()).withSeed(5);
        AttackResult r = data.run(pgd, c);
        assertTrue(r.successRate() >= 0.9, "targeted success " + r.successRate());
        for (int i = 0; i < r.size(); i++) {
            assertTrue(r.target()[i] != y[i] && r.target()[i] >= 0);
        }
    }
}
