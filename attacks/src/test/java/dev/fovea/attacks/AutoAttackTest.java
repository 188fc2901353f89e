package dev.fovea.attacks;

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
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(24);
    }

    static AttackConfig config(Norm norm, double eps, int steps) {
        return Attacks.named("autoattack").defaults(norm, eps).withSteps(steps).withStepSize(2 * eps);
    }

    @Test
    void atLeastAsStrongAsEachComponent() {
        int[] y = data.y();
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.LINF ? 0.03 : 0.6;
            AttackConfig c = config(norm, eps, 6);
            double ensemble = data.run(Attacks.named("autoattack"), c).robustAccuracy(y);
            for (String name : new String[] {"apgd-ce", "apgd-t"}) {
                double alone = data.run(Attacks.named(name), c).robustAccuracy(y);
                assertTrue(ensemble <= alone, norm + ": ensemble " + ensemble + " > " + name + " " + alone);
            }
            AttackConfig sq = c.withSteps(AutoAttack.SQUARE_QUERIES_PER_STEP * 6).withStepSize(eps).withRandomStart(false);
            double square = data.run(Attacks.named("square"), sq).robustAccuracy(y);
            assertTrue(ensemble <= square, norm + ": ensemble " + ensemble + " > square " + square);
        }
    }

    @Test
    void namesTheComponentThatFooledEachSample() {
        Attack a = Attacks.named("autoattack");
        assertTrue(a.ensemble());
        AttackResult r = data.run(a, config(Norm.LINF, 0.05, 8));
        assertTrue(r.hasFooledBy());
        assertEquals(r.size(), r.fooledBy().size());
        Set<String> names = Set.of("clean", "none", "apgd-ce", "apgd-t", "fab-t", "square");
        for (int i = 0; i < r.size(); i++) {
            String by = r.fooledBy().get(i);
            assertTrue(names.contains(by), by);
            assertEquals(!by.equals("none"), r.success()[i], "sample " + i + " fooled by " + by);
            assertEquals(by.equals("clean"), r.cleanPrediction()[i] != data.y()[i], "sample " + i);
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
        List<AttackResult> all = data.runAtBudgets(Attacks.named("autoattack"), config(Norm.LINF, 0.05, 4), 0, 0.05);
        AttackResult zero = all.get(0);
        assertTrue(zero.hasFooledBy(), "at eps 0 too: clean or none");
        for (int i = 0; i < zero.size(); i++) {
            assertEquals(zero.success()[i] ? "clean" : "none", zero.fooledBy().get(i));
        }
        assertArrayEquals(all.get(1).adversarial().data(), data.run(Attacks.named("autoattack"), config(Norm.LINF, 0.05, 4)).adversarial().data());
        assertEquals(all.get(1).fooledBy(), data.run(Attacks.named("autoattack"), config(Norm.LINF, 0.05, 4)).fooledBy());
    }

    @Test
    void theStandardVersionAddsFabTAndIsAtLeastAsStrongAsTheFastOne() {
        assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"), ((AutoAttack) Attacks.named("autoattack")).components());
        assertEquals(List.of("apgd-ce", "apgd-t", "square"), ((AutoAttack) Attacks.named("autoattack-fast")).components());
        assertTrue(Attacks.named("autoattack").describe().contains("APGD-CE, APGD-T (DLR), FAB-T, Square"));
        // One APGD step at a small budget leaves samples for FAB-T, which then fools some of them before Square sees them.
        AttackConfig c = config(Norm.L2, 0.3, 1);
        AttackResult standard = data.run(Attacks.named("autoattack"), c);
        AttackResult fast = data.run(Attacks.named("autoattack-fast"), c);
        assertTrue(standard.robustAccuracy(data.y()) <= fast.robustAccuracy(data.y()),
                "standard " + standard.robustAccuracy(data.y()) + " > fast " + fast.robustAccuracy(data.y()));
        assertTrue(standard.fooledBy().contains("fab-t"), standard.fooledByCounts().toString());
        assertFalse(fast.fooledBy().contains("fab-t"));
        for (int i = 0; i < data.size(); i++) {
            if (standard.fooledBy().get(i).equals("fab-t")) {
                assertTrue(standard.l2()[i] <= 0.3 + 1e-5, "fab-t counts only within the budget: sample " + i);
            }
        }
    }

    @Test
    void otherAttacksNameNoComponent() {
        AttackResult r = data.first(4).run(Attacks.named("fgsm"), Attacks.named("fgsm").defaults(0.05));
        assertFalse(r.hasFooledBy());
        assertTrue(r.fooledBy().isEmpty());
        assertTrue(r.fooledByCounts().isEmpty());
    }
}
