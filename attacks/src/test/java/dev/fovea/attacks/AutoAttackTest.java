package dev.fovea.attacks;

import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Attack a = Attacks.named("autoattack");
        assertTrue(a.ensemble());
        AttackResult r = a.run(model, x, y, config(Norm.LINF, 0.05, 8));
        assertTrue(r.hasFooledBy());
        assertEquals(r.size(), r.fooledBy().size());
        Set<String> names = Set.of("clean", "none", "apgd-ce", "apgd-t", "square");
        for (int i = 0; i < r.size(); i++) {
            String by = r.fooledBy().get(i);
            assertTrue(names.contains(by), by);
            assertEquals(!by.equals("none"), r.success()[i], "sample " + i + " fooled by " + by);
            assertEquals(by.equals("clean"), r.cleanPrediction()[i] != y[i], "sample " + i);
            if (by.equals("clean")) {
                assertEquals(0.0, r.linf()[i], "a misclassified sample is not attacked");
            }
        }
        assertTrue(r.fooledBy().contains("apgd-ce"));
        Map<String, Integer> counts = r.fooledByCounts();
        assertEquals(List.copyOf(new java.util.LinkedHashSet<>(r.fooledBy())), List.copyOf(counts.keySet()), "names in first-seen order");
        assertEquals(r.size(), counts.values().stream().mapToInt(Integer::intValue).sum());
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            assertEquals(r.fooledBy().stream().filter(e.getKey()::equals).count(), (long) e.getValue(), e.getKey());
        }
    }

    @Test
    void everyBudgetSaysWhoFooledWhom() {
        Attack a = Attacks.named("autoattack");
        List<AttackResult> all = a.runAtBudgets(model, x, y, config(Norm.LINF, 0.05, 4), new double[] {0, 0.05});
        AttackResult zero = all.get(0);
        assertTrue(zero.hasFooledBy(), "at eps 0 too: clean or none");
        for (int i = 0; i < zero.size(); i++) {
            assertEquals(zero.success()[i] ? "clean" : "none", zero.fooledBy().get(i));
        }
        assertArrayEquals(all.get(1).adversarial().data(), a.run(model, x, y, config(Norm.LINF, 0.05, 4)).adversarial().data());
        assertEquals(all.get(1).fooledBy(), a.run(model, x, y, config(Norm.LINF, 0.05, 4)).fooledBy());
    }

    @Test
    void otherAttacksNameNoComponent() {
        Attack fgsm = Attacks.named("fgsm");
        AttackResult r = fgsm.run(model, x.slice(0, 4), java.util.Arrays.copyOf(y, 4), fgsm.defaults(0.05));
        assertFalse(r.hasFooledBy());
        assertTrue(r.fooledBy().isEmpty());
        assertTrue(r.fooledByCounts().isEmpty());
    }
}
