package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each attack's own options do what they say on the bundled LeNet-5: Carlini-Wagner's {@code searchSteps},
 * {@code initialConst}, {@code kappa} and {@code abortEarly}, DeepFool's {@code overshoot} and {@code candidates},
 * MI-FGSM's {@code decay}, APGD's {@code alpha}, {@code rho} and {@code targetClasses}, Square's {@code pInit};
 * their records validate with the option's name; the template refuses another attack's record.
 */
class OwnOptionsTest {
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(16);
    }

    static AttackResult run(String attack, AttackConfig cfg, Map<String, String> options) {
        Attack a = Attacks.named(attack);
        return data.run(a, cfg.withOptions(a.options(options)));
    }

    static int found(AttackResult r) {
        return (int) Arrays.stream(r.minimalNorm()).filter(Double::isFinite).count();
    }

    /** The median of the minimal norms, {@code +inf} counted as such. */
    static double median(AttackResult r) {
        double[] s = r.minimalNorm().clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void moreSearchStepsNeverGiveALargerCarliniWagnerNorm() {
        AttackConfig cfg = Attacks.named("cw").defaults(10).withSteps(20);
        AttackResult few = run("cw", cfg, Map.of("searchSteps", "2"));
        AttackResult many = run("cw", cfg, Map.of("searchSteps", "6"));
        // The first two search steps of six are the two of the shorter search: each sample keeps its best of more.
        boolean smaller = false;
        for (int i = 0; i < data.size(); i++) {
            assertTrue(many.minimalNorm()[i] <= few.minimalNorm()[i], "sample " + i + ": " + many.minimalNorm()[i] + " > " + few.minimalNorm()[i]);
            smaller |= many.minimalNorm()[i] < few.minimalNorm()[i];
            assertTrue(many.queries()[i] >= few.queries()[i], "sample " + i);
        }
        assertTrue(smaller, "six search steps improve on two for some sample");
    }

    @Test
    void aLargerInitialConstantFoolsMoreInOneSearchStepAtALargerNorm() {
        AttackConfig cfg = Attacks.named("cw").defaults(10).withSteps(30);
        AttackResult small = run("cw", cfg, Map.of("searchSteps", "1", "initialConst", "0.01"));
        AttackResult large = run("cw", cfg, Map.of("searchSteps", "1", "initialConst", "10"));
        assertTrue(found(large) > found(small), "c=10 fools " + found(large) + ", c=0.01 " + found(small));
        double[] both = new double[2];
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            if (Double.isFinite(small.minimalNorm()[i]) && small.minimalNorm()[i] > 0) {
                both[0] += small.minimalNorm()[i];
                both[1] += large.minimalNorm()[i];
                n++;
            }
        }
        assertTrue(n == 0 || both[1] > both[0], "on the samples both fool, c=10 spends more: " + both[1] + " vs " + both[0]);
    }

    @Test
    void kappaIsTheMarginOfTheAdversarialClass() {
        AttackConfig cfg = Attacks.named("cw").defaults(10).withSteps(30);
        AttackResult zero = run("cw", cfg, Map.of());
        AttackResult two = run("cw", cfg, Map.of("kappa", "2"));
        float[] z = data.model().logits(two.adversarial()).data();
        int k = data.model().classes();
        for (int i = 0; i < data.size(); i++) {
            double m = two.minimalNorm()[i];
            if (Double.isFinite(m) && m > 0) {
                int y = data.y()[i];
                double other = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    other = j == y ? other : Math.max(other, z[i * k + j]);
                }
                assertTrue(other - z[i * k + y] > 2, "sample " + i + ": margin " + (other - z[i * k + y]));
            }
        }
        assertTrue(median(two) > median(zero), "kappa 2 median L2 " + median(two) + " vs kappa 0 " + median(zero));
    }

    @Test
    void byDefaultEverySearchStepRunsAllItsIterationsAndTheEarlyAbortSavesSome() {
        AttackConfig cfg = Attacks.named("cw").defaults(10).withSteps(20);
        AttackResult r = run("cw", cfg, Map.of("searchSteps", "3"));
        AttackResult aborting = run("cw", cfg, Map.of("abortEarly", "true", "searchSteps", "3"));
        int[] pred = data.model().predict(data.x());
        long less = 0;
        for (int i = 0; i < data.size(); i++) {
            if (pred[i] == data.y()[i]) {
                assertEquals(1 + 3 * 20, r.queries()[i], "sample " + i + ": the first prediction and 3 x 20 gradients");
                less += r.queries()[i] - aborting.queries()[i];
            }
        }
        assertTrue(less > 0, "the early abort saves queries");
    }

    @Test
    void aLargerOvershootGivesLargerDeepFoolNorms() {
        AttackConfig cfg = Attacks.named("deepfool").defaults(Norm.L2, 10);
        AttackResult paper = run("deepfool", cfg, Map.of());
        AttackResult far = run("deepfool", cfg, Map.of("overshoot", "0.5"));
        assertTrue(found(far) >= found(paper));
        assertTrue(median(far) > median(paper), "overshoot 0.5 median " + median(far) + " vs 0.02 " + median(paper));
    }

    @Test
    void fewerDeepFoolCandidatesCostFewerGradients() {
        AttackConfig cfg = Attacks.named("deepfool").defaults(Norm.L2, 10).withSteps(1);
        AttackResult two = run("deepfool", cfg, Map.of("candidates", "2"));
        AttackResult ten = run("deepfool", cfg, Map.of());
        int[] pred = data.model().predict(data.x());
        for (int i = 0; i < data.size(); i++) {
            if (pred[i] == data.y()[i]) {
                // The first prediction, the clean logits, then per step z_y's gradient and one per other candidate, and the last check.
                assertEquals(1 + 1 + (1 + 1) + 1, two.queries()[i], "sample " + i);
                assertEquals(1 + 1 + (1 + 9) + 1, ten.queries()[i], "sample " + i);
            }
        }
    }

    @Test
    void miFgsmWithoutDecayIsBim() {
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.LINF ? 0.05 : 0.5;
            Attack mifgsm = Attacks.named("mifgsm");
            AttackConfig cfg = mifgsm.defaults(norm, eps);
            AttackConfig bim = Attacks.named("bim").defaults(norm, eps).withSteps(cfg.steps()).withStepSize(cfg.stepSize());
            Tensor noMomentum = data.run(mifgsm, cfg.withOptions(new Pgd.Options(0))).adversarial();
            assertArrayEquals(data.run(Attacks.named("bim"), bim).adversarial().data(), noMomentum.data(), norm + ": decay 0 is BIM");
            assertFalse(Arrays.equals(noMomentum.data(), run("mifgsm", cfg, Map.of("decay", "0.5")).adversarial().data()), norm + ": decay 0.5 is not");
        }
    }

    @Test
    void apgdOptionsReachTheIterations() {
        AttackConfig cfg = Attacks.named("apgd-ce").defaults(Norm.LINF, 0.03).withSteps(20);
        float[] paper = run("apgd-ce", cfg, Map.of()).adversarial().data();
        assertFalse(Arrays.equals(paper, run("apgd-ce", cfg, Map.of("alpha", "1")).adversarial().data()), "alpha 1: no momentum");
        assertFalse(Arrays.equals(paper, run("apgd-ce", cfg, Map.of("rho", "0")).adversarial().data()), "rho 0: halving on stalls only");
    }

    @Test
    void apgdTargetedAttacksAsManyClassesAsAsked() {
        AttackConfig cfg = Attacks.named("apgd-t").defaults(Norm.LINF, 0.01).withSteps(5);
        AttackResult one = run("apgd-t", cfg, Map.of("targetClasses", "1"));
        AttackResult nine = run("apgd-t", cfg, Map.of());
        int[] pred = data.model().predict(data.x());
        boolean more = false;
        for (int i = 0; i < data.size(); i++) {
            if (pred[i] == data.y()[i]) {
                // The clean pass, at most steps + 1 gradients per target class, the template's first prediction.
                assertTrue(one.queries()[i] <= 1 + 6, "sample " + i + ": " + one.queries()[i]);
                more |= nine.queries()[i] > 1 + 6;
            }
        }
        assertTrue(more, "nine target classes cost more than one for a sample never fooled");
    }

    @Test
    void squarePInitSetsTheSquares() {
        AttackConfig cfg = Attacks.named("square").defaults(Norm.LINF, 0.05).withSteps(100);
        float[] paper = run("square", cfg, Map.of()).adversarial().data();
        assertArrayEquals(paper, run("square", cfg, Map.of("pInit", "0.8")).adversarial().data());
        assertFalse(Arrays.equals(paper, run("square", cfg, Map.of("pInit", "0.1")).adversarial().data()));
        assertEquals(0.1, Square.p(0.1, 0, 100), 1e-15);
    }

    @Test
    void recordsNameTheOptionTheyRefuse() {
        invalid("searchSteps", "searchSteps must be at least 1, got 0", () -> CarliniWagner.Options.DEFAULTS.withSearchSteps(0));
        invalid("initialConst", "initialConst must be positive, got 0.0", () -> CarliniWagner.Options.DEFAULTS.withInitialConst(0));
        invalid("kappa", "kappa must be >= 0, got -1.0", () -> CarliniWagner.Options.DEFAULTS.withKappa(-1));
        invalid("kappa", "kappa must be >= 0, got NaN", () -> CarliniWagner.Options.DEFAULTS.withKappa(Double.NaN));
        invalid("candidates", "candidates must be at least 2, got 1", () -> DeepFool.Options.DEFAULTS.withCandidates(1));
        invalid("overshoot", "overshoot must be >= 0, got -0.1", () -> DeepFool.Options.DEFAULTS.withOvershoot(-0.1));
        invalid("pInit", "pInit must be in (0,1], got 1.5", () -> new Square.Options(1.5));
        invalid("pInit", "pInit must be in (0,1], got 0.0", () -> new Square.Options(0));
        invalid("decay", "decay must be >= 0, got -1.0", () -> new Pgd.Options(-1));
        invalid("alpha", "alpha must be in (0,1], got 0.0", () -> new Apgd.Options(0, 0.75, 9));
        invalid("rho", "rho must be in [0,1], got 2.0", () -> new Apgd.Options(0.75, 2, 9));
        invalid("targetClasses", "targetClasses must be at least 1, got 0", () -> new Apgd.Options(0.75, 0.75, 0));
    }

    @Test
    void namedValuesAreCheckedAgainstTheAttacksOptions() {
        invalid("foo", "foo: not an option of cw (options: searchSteps, initialConst, kappa, abortEarly)",
                () -> Attacks.named("cw").options(Map.of("foo", "1")));
        invalid("decay", "decay: not an option of pgd, which has none", () -> Attacks.named("pgd").options(Map.of("decay", "1")));
        invalid("targetClasses", "targetClasses: not an option of apgd-ce (options: alpha, rho)",
                () -> Attacks.named("apgd-ce").options(Map.of("targetClasses", "3")));
        invalid("kappa", "kappa: expected a number, got 'high'", () -> Attacks.named("cw").options(Map.of("kappa", "high")));
        invalid("searchSteps", "searchSteps: expected an integer, got '2.5'", () -> Attacks.named("cw").options(Map.of("searchSteps", "2.5")));
        invalid("abortEarly", "abortEarly: expected true or false, got 'yes'", () -> Attacks.named("cw").options(Map.of("abortEarly", "yes")));
        invalid("overshoot", "overshoot must be >= 0, got -1.0", () -> Attacks.named("deepfool").options(Map.of("overshoot", "-1")));
        assertEquals(new CarliniWagner.Options(3, 0.5, 1, false),
                Attacks.named("cw").options(Map.of("searchSteps", "3", "initialConst", "0.5", "kappa", "1", "abortEarly", "false")));
        assertEquals(new Apgd.Options(0.75, 0.75, 4), Attacks.named("apgd-t").options(Map.of("targetClasses", "4")));
    }

    @Test
    void anAttackRefusesAnotherAttacksOptions() {
        AttackConfig pgd = Attacks.named("pgd").defaults(0.05).withOptions(CarliniWagner.Options.DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.run(Attacks.named("pgd"), pgd));
        assertEquals("pgd: expected no options of its own, got CarliniWagner.Options", e.getMessage());
        AttackConfig cw = Attacks.named("cw").defaults(1).withOptions(new Square.Options(0.5));
        e = assertThrows(IllegalArgumentException.class, () -> data.run(Attacks.named("cw"), cw));
        assertEquals("cw: expected options CarliniWagner.Options, got Square.Options", e.getMessage());
    }

    @Test
    void theConfigCarriesTheOptionsThroughEveryCopy() {
        CarliniWagner.Options o = CarliniWagner.Options.DEFAULTS.withKappa(3);
        AttackConfig c = Attacks.named("cw").defaults(1).withOptions(o);
        for (AttackConfig copy : new AttackConfig[] {c.withEps(2), c.withNorm(Norm.L2), c.withSteps(5), c.withStepSize(0.1), c.withRestarts(2),
                c.withRandomStart(true), c.withTarget(new Target.LeastLikely()), c.withSeed(4)}) {
            assertEquals(o, copy.options(), copy.toString());
        }
        assertEquals(AttackOptions.NONE, new AttackConfig(Norm.L2, 1, 1, 1, 1, false, Target.UNTARGETED, 0).options());
        assertEquals(AttackOptions.NONE, c.withOptions(null).options());
        assertEquals(CarliniWagner.Options.DEFAULTS, Attacks.named("cw").resolve(AttackOptions.NONE));
        assertEquals(o, Attacks.named("cw").resolve(o));
    }

    private static void invalid(String option, String message, Executable e) {
        InvalidOptionException x = assertThrows(InvalidOptionException.class, e);
        assertEquals(option, x.option());
        assertEquals(message, x.getMessage());
    }
}
