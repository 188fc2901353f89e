package dev.fovea.attacks;

import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results of consecutive chunks joined into one, every field in order; the ensemble's counts per component. */
class AttackResultTest {
    static Classifier model;
    static Tensor x;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        model = Fixtures.lenet5(64);
        Dataset d = Fixtures.fashion(8);
        x = d.images();
        y = d.labels();
    }

    /** {@code a} on the chunks {@code [0,3)} and {@code [3,8)}, at each budget. */
    static List<List<AttackResult>> chunks(Attack a, AttackConfig c, double... budgets) {
        List<List<AttackResult>> out = new ArrayList<>();
        for (int[] r : new int[][] {{0, 3}, {3, 8}}) {
            out.add(a.runAtBudgets(model, x.slice(r[0], r[1]), java.util.Arrays.copyOfRange(y, r[0], r[1]), c, budgets));
        }
        return out;
    }

    @Test
    void chunksOfAMinimumNormSearchJoinToTheWholeRun() {
        Attack deepfool = Attacks.named("deepfool");
        double[] budgets = {0, 0.5, 2};
        AttackConfig c = deepfool.defaults(Norm.L2, 2);
        List<AttackResult> whole = deepfool.runAtBudgets(model, x, y, c, budgets);
        List<List<AttackResult>> parts = chunks(deepfool, c, budgets);
        for (int b = 0; b < budgets.length; b++) {
            AttackResult joined = AttackResult.concat(List.of(parts.get(0).get(b), parts.get(1).get(b)));
            AttackResult w = whole.get(b);
            assertEquals(w.adversarial().shape(), joined.adversarial().shape());
            assertArrayEquals(w.adversarial().data(), joined.adversarial().data(), "eps " + budgets[b]);
            assertArrayEquals(w.cleanPrediction(), joined.cleanPrediction());
            assertArrayEquals(w.adversarialPrediction(), joined.adversarialPrediction());
            assertArrayEquals(w.target(), joined.target());
            assertArrayEquals(w.success(), joined.success());
            assertArrayEquals(w.l0(), joined.l0());
            assertArrayEquals(w.l2(), joined.l2());
            assertArrayEquals(w.linf(), joined.linf());
            assertArrayEquals(w.queries(), joined.queries());
            assertArrayEquals(w.minimalNorm(), joined.minimalNorm());
            assertEquals(w.hasMinimalNorm(), joined.hasMinimalNorm());
        }
    }

    @Test
    void anEnsemblesComponentsAreJoinedToo() {
        Attack aa = Attacks.named("autoattack");
        List<List<AttackResult>> parts = chunks(aa, new AttackConfig(Norm.LINF, 0.05, 3, 0.1, 1, true, Target.UNTARGETED, 0), 0.05);
        AttackResult first = parts.get(0).get(0);
        AttackResult second = parts.get(1).get(0);
        AttackResult joined = AttackResult.concat(List.of(first, second));
        assertEquals(8, joined.size());
        List<String> expected = new ArrayList<>(first.fooledBy());
        expected.addAll(second.fooledBy());
        assertEquals(expected, joined.fooledBy());
        Map<String, Integer> counts = joined.fooledByCounts();
        assertEquals(8, counts.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(expected.stream().distinct().toList(), List.copyOf(counts.keySet()));
    }

    @Test
    void partsMustMatch() {
        Attack fgsm = Attacks.named("fgsm");
        Tensor x2 = x.slice(0, 2);
        int[] y2 = java.util.Arrays.copyOf(y, 2);
        AttackResult plain = fgsm.run(model, x2, y2, fgsm.defaults(0.05));
        AttackResult ensemble = Attacks.named("autoattack").run(model, x2, y2, new AttackConfig(Norm.LINF, 0.05, 2, 0.1, 1, true, Target.UNTARGETED, 0));
        assertThrows(IllegalArgumentException.class, () -> AttackResult.concat(List.of()));
        assertThrows(IllegalArgumentException.class, () -> AttackResult.concat(List.of(plain, ensemble)));
        AttackResult small = new AttackResult(Tensor.zeros(1, 1, 2, 2), new int[1], new int[1], new int[] {-1}, new boolean[1], new double[1],
                new double[1], new double[1], new long[1]);
        assertThrows(IllegalArgumentException.class, () -> AttackResult.concat(List.of(plain, small)));
        assertTrue(AttackResult.concat(List.of(plain)).fooledBy().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new AttackResult(Tensor.zeros(1, 1, 2, 2), new int[1], new int[1], new int[] {-1},
                new boolean[1], new double[1], new double[1], new double[1], new long[1], new double[1], List.of("clean", "none")));
    }
}
