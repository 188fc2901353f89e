package dev.fovea.attacks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FAB and FAB-T on the bundled LeNet-5: smaller perturbations than DeepFool's (the paper's comparison), restarts that
 * never lose a smaller one, the query count of AutoAttack's targeted form, and results independent of the batch size.
 */
class FabTest {
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(16);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void findsSmallerPerturbationsThanDeepFool() {
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.L2 ? 28 : 1;
            double fab = median(data.run(Attacks.named("fab"), Attacks.named("fab").defaults(norm, eps)).minimalNorm());
            double deepfool = median(data.run(Attacks.named("deepfool"), Attacks.named("deepfool").defaults(norm, eps)).minimalNorm());
            System.out.printf("%s median minimal norm: fab %.4f, deepfool %.4f%n", norm, fab, deepfool);
            assertTrue(fab < deepfool, norm + ": fab " + fab + " vs deepfool " + deepfool);
        }
    }

    @Test
    void restartsNeverLoseASmallerPerturbation() {
        AttackConfig one = Attacks.named("fab").defaults(Norm.LINF, 0.1).withSteps(10);
        AttackResult first = data.run(Attacks.named("fab"), one);
        AttackResult three = data.run(Attacks.named("fab"), one.withRestarts(3));
        for (int i = 0; i < data.size(); i++) {
            assertTrue(three.minimalNorm()[i] <= first.minimalNorm()[i], "sample " + i);
        }
    }

    @Test
    void targetedFormCountsOneGradientAndOnePredictionPerStepAndClass() {
        Attack fabT = Attacks.named("fab-t");
        AttackResult r = data.run(fabT, fabT.defaults(Norm.LINF, 0.1).withSteps(4).withOptions(fabT.options(java.util.Map.of("targetClasses", "3"))));
        int[] pred = data.model().predict(data.x());
        for (int i = 0; i < data.size(); i++) {
            // The template's first prediction, the ranking of the classes, then per class and step a gradient and a prediction.
            assertEquals(pred[i] == data.y()[i] ? 1 + 1 + 3 * 4 * 2 : 1, r.queries()[i], "sample " + i);
        }
    }

    @Test
    void resultsDoNotDependOnTheBatchSize() throws IOException {
        Fixtures.Slice big = data.first(6);
        Fixtures.Slice little = big.withBatch(4);
        for (String a : new String[] {"fab", "fab-t"}) {
            AttackConfig c = Attacks.named(a).defaults(Norm.L2, 3).withSteps(5).withRestarts(2);
            assertArrayEquals(big.run(Attacks.named(a), c).adversarial().data(), little.run(Attacks.named(a), c).adversarial().data(), a);
        }
    }
}
