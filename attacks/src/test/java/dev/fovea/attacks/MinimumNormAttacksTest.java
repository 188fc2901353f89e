package dev.fovea.attacks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DeepFool, Carlini-Wagner and JSMA on the bundled LeNet-5: minimal norms that mean what they say, smaller L2
 * perturbations than FGM's at equal success, JSMA's targets reached within its pixel budget.
 */
class MinimumNormAttacksTest {
    static Fixtures.Slice data;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(24);
        y = data.y();
    }

    /**
     * FGM's smallest successful L2 perturbation per sample, within 3%: FGM at 200 budgets spaced by a factor 1.03
     * from 0.03 to about 11, the L2 norm of the first that fools ({@code +inf} if none does).
     */
    static double[] fgmMinimal() {
        Attack fgm = Attacks.named("fgm");
        double[] budgets = new double[200];
        for (int b = 0; b < budgets.length; b++) {
            budgets[b] = 0.03 * Math.pow(1.03, b);
        }
        List<AttackResult> all = data.runAtBudgets(fgm, fgm.defaults(budgets[0]), budgets);
        double[] out = new double[y.length];
        Arrays.fill(out, Double.POSITIVE_INFINITY);
        for (AttackResult r : all) {
            for (int i = 0; i < y.length; i++) {
                if (r.success()[i] && !(out[i] < Double.POSITIVE_INFINITY)) {
                    out[i] = r.l2()[i];
                }
            }
        }
        return out;
    }

    @Test
    void cwAndDeepFoolFindSmallerL2PerturbationsThanFgm() {
        double[] fgm = fgmMinimal();
        double[] df = minimal(data.run(Attacks.named("deepfool"), Attacks.named("deepfool").defaults(Norm.L2, 10)));
        double[] cw = minimal(data.run(Attacks.named("cw"), Attacks.named("cw").defaults(10)));
        // Equal success: the samples every attack fools, already misclassified ones (norm 0 for all) left out.
        int both = 0;
        int dfSmaller = 0;
        int cwSmaller = 0;
        double[][] common = new double[3][y.length];
        for (int i = 0; i < y.length; i++) {
            if (fgm[i] > 0 && Double.isFinite(fgm[i]) && Double.isFinite(df[i]) && Double.isFinite(cw[i])) {
                common[0][both] = fgm[i];
                common[1][both] = df[i];
                common[2][both] = cw[i];
                dfSmaller += df[i] < fgm[i] ? 1 : 0;
                cwSmaller += cw[i] < fgm[i] ? 1 : 0;
                both++;
            }
        }
        double mFgm = median(Arrays.copyOf(common[0], both));
        double mDf = median(Arrays.copyOf(common[1], both));
        double mCw = median(Arrays.copyOf(common[2], both));
        System.out.printf("fgm/deepfool/cw median L2 on %d common samples: %.4f %.4f %.4f; smaller than fgm: %d %d; found %d %d %d%n", both, mFgm, mDf, mCw,
                dfSmaller, cwSmaller, found(fgm), found(df), found(cw));
        assertTrue(both >= y.length / 2, "too few samples fooled by all three: " + both);
        assertTrue(found(df) >= found(fgm) && found(cw) >= found(fgm), "minimum-norm attacks fool at least what FGM fools");
        assertTrue(mDf < mFgm, "DeepFool median L2 " + mDf + " vs FGM " + mFgm);
        assertTrue(mCw < mFgm, "CW median L2 " + mCw + " vs FGM " + mFgm);
        assertTrue(2 * dfSmaller > both && 2 * cwSmaller > both, "per sample smaller: deepfool " + dfSmaller + ", cw " + cwSmaller + " of " + both);
    }

    /**
     * The minimal norms of a result at a budget larger than all of them: each is the L2 norm of the sample's
     * adversarial image, which fools the model exactly when one was found.
     */
    private static double[] minimal(AttackResult r) {
        for (int i = 0; i < r.size(); i++) {
            double m = r.minimalNorm()[i];
            assertEquals(Double.isFinite(m), r.success()[i], "sample " + i + ": minimal norm " + m + ", success " + r.success()[i]);
            if (Double.isFinite(m)) {
                assertEquals(m, r.l2()[i], 1e-6 * Math.max(1, m), "sample " + i + ": minimal norm is that of the adversarial image");
            }
        }
        return r.minimalNorm();
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() throws IOException {
        Fixtures.Slice big8 = data.first(8);
        Fixtures.Slice little8 = big8.withBatch(3);
        AttackConfig[] configs = {Attacks.named("deepfool").defaults(Norm.LINF, 0.1), Attacks.named("cw").defaults(Norm.L2, 1).withSteps(10),
                Attacks.named("jsma").defaults(0.03)};
        String[] names = {"deepfool", "cw", "jsma"};
        for (int a = 0; a < names.length; a++) {
            Attack attack = Attacks.named(names[a]);
            AttackResult big = big8.run(attack, configs[a]);
            AttackResult little = little8.run(attack, configs[a]);
            assertArrayEquals(big.adversarial().data(), little.adversarial().data(), names[a]);
            assertArrayEquals(big.minimalNorm(), little.minimalNorm(), names[a]);
        }
    }

    private static int found(double[] v) {
        int c = 0;
        for (double d : v) {
            c += Double.isFinite(d) ? 1 : 0;
        }
        return c;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
