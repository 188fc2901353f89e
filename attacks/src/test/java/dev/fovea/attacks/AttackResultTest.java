package dev.fovea.attacks;

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
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(8);
    }

    /** {@code a} on the chunks {@code [0,3)} and {@code [3,8)}, at each budget. */
    static List<List<AttackResult>> chunks(Attack a, AttackConfig c, double... budgets) {
        List<List<AttackResult>> out = new ArrayList<>();
        for (int[] r : new int[][] {{0, 3}, {3, 8}}) {
            out.add(data.range(r[0], r[1]).runAtBudgets(a, c, budgets));
        }
        return out;
    }

    @Test
    void chunksOfAMinimumNormSearchJoinToTheWholeRun() {
        Attack deepfool = Attacks.named("deepfool");
        double[] budgets = {0, 0.5, 2};
        AttackConfig c = deepfool.defaults(Norm.L2, 2);
        List<AttackResult> whole = data.runAtBudgets(deepfool, c, budgets);
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
        List<List<AttackResult>> parts = chunks(aa, aa.defaults(0.05).withSteps(3), 0.05);
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
        AttackResult plain = data.first(2).run(fgsm, fgsm.defaults(0.05));
        AttackResult ensemble = data.first(2).run(Attacks.named("autoattack"), Attacks.named("autoattack").defaults(0.05).withSteps(2));
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
