package dev.fovea.attacks;

import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ensemble on the bundled LeNet-5: at least as strong as each component, and it names the component that fooled each sample. */
class AutoAttackTest {
    static Classifier model;
    static Tensor x;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        model = Fixtures.lenet5(64);
        Dataset d = Fixtures.fashion(24);
        x = d.images();
        y = d.labels();
    }

    static AttackConfig config(Norm norm, double eps, int steps) {
        return new AttackConfig(norm, eps, steps, 2 * eps, 1, true, Target.UNTARGETED, 0);
    }

    @Test
    void atLeastAsStrongAsEachComponent() {
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.LINF ? 0.03 : 0.6;
            AttackConfig c = config(norm, eps, 6);
            double ensemble = Attacks.named("autoattack").run(model, x, y, c).robustAccuracy(y);
            for (String name : new String[] {"apgd-ce", "apgd-t"}) {
                double alone = Attacks.named(name).run(model, x, y, c).robustAccuracy(y);
                assertTrue(ensemble <= alone, norm + ": ensemble " + ensemble + " > " + name + " " + alone);
            }
            AttackConfig sq = new AttackConfig(norm, eps, AutoAttack.SQUARE_QUERIES_PER_STEP * 6, eps, 1, false, Target.UNTARGETED, 0);
            double square = Attacks.named("square").run(model, x, y, sq).robustAccuracy(y);
            assertTrue(ensemble <= square, norm + ": ensemble " + ensemble + " > square " + square);
        }
    }

    @Test
    void namesTheComponentThatFooledEachSample() {
        AutoAttack a = (AutoAttack) Attacks.named("autoattack");
        AutoAttack.Outcome o = a.evaluate(model, x, y, config(Norm.LINF, 0.05, 8));
        AttackResult r = o.result();
        assertEquals(r.size(), o.fooledBy().size());
        Set<String> names = Set.of("clean", "none", "apgd-ce", "apgd-t", "square");
        for (int i = 0; i < r.size(); i++) {
            String by = o.fooledBy().get(i);
            assertTrue(names.contains(by), by);
            assertEquals(!by.equals("none"), r.success()[i], "sample " + i + " fooled by " + by);
            assertEquals(by.equals("clean"), r.cleanPrediction()[i] != y[i], "sample " + i);
            if (by.equals("clean")) {
                assertEquals(0.0, r.linf()[i], "a misclassified sample is not attacked");
            }
        }
        assertTrue(o.fooledBy().contains("apgd-ce"));
        assertArrayEquals(r.adversarial().data(), a.run(model, x, y, config(Norm.LINF, 0.05, 8)).adversarial().data(), "evaluate equals run");
    }
}
