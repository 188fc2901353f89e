package dev.fovea.attacks;

import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template's handling of minimal norms: recorded before the projection, searched once for many budgets. */
class MinimalNormTemplateTest {
    static Fixtures.Slice data;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(16);
        y = data.y();
    }

    /**
     * A minimum-norm attack for the test: walks from each image towards the next one of another label in steps of
     * 1/32 of the way and stops at the first point that fools the model; counts its searches.
     */
    static final class Blend extends Attack {
        int searches;

        @Override
        public String name() {
            return "blend";
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public boolean whiteBox() {
            return false;
        }

        @Override
        public Norm defaultNorm() {
            return Norm.L2;
        }

        @Override
        public boolean minimumNorm() {
            return true;
        }

        @Override
        public List<OptionInfo> options() {
            return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result"));
        }

        @Override
        public AttackConfig defaults(Norm norm, double eps) {
            return new AttackConfig(norm, eps, 1, 1, 1, false, Target.UNTARGETED, 0);
        }

        @Override
        protected Tensor perturb(Classifier m, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
            return propose(m, x, criterion, cfg, queries, new double[criterion.size()], null);
        }

        @Override
        Tensor propose(Classifier m, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimal, String[] fooledBy) {
            searches++;
            int[] labels = criterion.labels();
            int n = labels.length;
            int per = x.shape().sizeFrom(1);
            Tensor out = x.copy();
            for (int i = 0; i < n; i++) {
                int other = i;
                for (int j = 1; j < n && labels[other] == labels[i]; j++) {
                    other = (i + j) % n;
                }
                float[] d = new float[per];
                for (int s = 0; s <= 32; s++) {
                    float a = s / 32f;
                    float[] p = new float[per];
                    for (int j = 0; j < per; j++) {
                        p[j] = x.data()[i * per + j] + a * (x.data()[other * per + j] - x.data()[i * per + j]);
                        d[j] = p[j] - x.data()[i * per + j];
                    }
                    Tensor one = new Tensor(m.inputShape().withBatch(1), p);
                    queries[i]++;
                    if (criterion.isAdversarial(i, m.predict(one)[0])) {
                        System.arraycopy(p, 0, out.data(), i * per, per);
                        minimal[i] = cfg.norm().measure(d, 0, per);
                        break;
                    }
                }
            }
            return out;
        }
    }

    @Test
    void fixedBudgetAttacksHaveNoMinimalNorm() {
        Attack pgd = Attacks.named("pgd");
        AttackResult r = data.run(pgd, pgd.defaults(0.05));
        assertFalse(r.hasMinimalNorm());
        for (double v : r.minimalNorm()) {
            assertTrue(Double.isNaN(v));
        }
    }

    @Test
    void fixedBudgetAttacksRunOncePerBudget() {
        Attack fgsm = Attacks.named("fgsm");
        double[] budgets = {0, 0.03, 0.1};
        List<AttackResult> all = data.runAtBudgets(fgsm, fgsm.defaults(0.03), budgets);
        for (int b = 0; b < budgets.length; b++) {
            assertArrayEquals(data.run(fgsm, fgsm.defaults(budgets[b])).adversarial().data(), all.get(b).adversarial().data(),
                    "eps " + budgets[b]);
        }
    }

    @Test
    void minimalNormIsRecordedBeforeTheProjectionAndSearchedOnce() {
        Blend blend = new Blend();
        double[] budgets = {0, 0.5, 1, 2, 4, 100};
        List<AttackResult> all = data.runAtBudgets(blend, blend.defaults(1), budgets);
        assertEquals(1, blend.searches);
        double[] minimal = all.get(0).minimalNorm();
        assertTrue(all.get(0).hasMinimalNorm());
        for (int b = 0; b < budgets.length; b++) {
            AttackResult r = all.get(b);
            assertArrayEquals(minimal, r.minimalNorm(), "the projection leaves the minimal norms alone");
            for (int i = 0; i < y.length; i++) {
                assertTrue(r.l2()[i] <= budgets[b] * (1 + 1e-5) + 1e-6, "sample " + i + " inside the ball " + budgets[b]);
                if (minimal[i] <= budgets[b]) {
                    assertTrue(r.success()[i], "sample " + i + ": minimal norm " + minimal[i] + " <= eps " + budgets[b] + " must fool");
                }
            }
            assertTrue(r.robustAccuracy(y) <= r.robustAccuracyFromMinimalNorm(y, budgets[b]) + 1e-12);
        }
        assertEquals(0, all.get(0).successRate() - fooledClean(all.get(0)), 1e-12);
        int found = 0;
        for (double v : minimal) {
            found += Double.isFinite(v) ? 1 : 0;
        }
        assertTrue(found > y.length / 2, "the blend fools most samples, got " + found);
    }

    @Test
    void minimumNormAttacksSearchWhenTheOnlyBudgetIsZero() {
        Blend blend = new Blend();
        List<AttackResult> zero = data.runAtBudgets(blend, blend.defaults(0), new double[] {0});
        assertEquals(1, blend.searches, "searched, whatever the budgets");
        AttackResult r = zero.get(0);
        assertTrue(r.hasMinimalNorm());
        assertArrayEquals(data.runAtBudgets(new Blend(), blend.defaults(1), new double[] {0, 1}).get(1).minimalNorm(), r.minimalNorm(),
                "the same minimal norms as with a positive budget beside");
        assertArrayEquals(data.x().data(), r.adversarial().data(), "at budget 0 every image is projected back onto itself");
        assertTrue(java.util.Arrays.stream(r.minimalNorm()).anyMatch(v -> v > 0 && Double.isFinite(v)), "perturbations were found");
        AttackResult df = data.runAtBudgets(Attacks.named("deepfool"), Attacks.named("deepfool").defaults(Norm.L2, 0), new double[] {0}).get(0);
        assertTrue(df.hasMinimalNorm() && java.util.Arrays.stream(df.minimalNorm()).anyMatch(v -> v > 0 && Double.isFinite(v)),
                "deepfool at budget 0 records its minimal perturbations");
    }

    private static double fooledClean(AttackResult r) {
        int c = 0;
        for (int i = 0; i < y.length; i++) {
            c += r.cleanPrediction()[i] != y[i] ? 1 : 0;
        }
        return (double) c / y.length;
    }
}
