package dev.fovea.attacks;

import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Early stopping, counted by a wrapper that sees every image the model is asked about: a sample that is already
 * fooled costs the attack a constant number of queries, whatever the steps and restarts, and a sample fooled after
 * one step stops there. Attacks that cannot stop once fooled (minimum-norm attacks keep shrinking the perturbation)
 * are listed with the reason; a registered attack in neither list fails the build.
 */
class EarlyStoppingTest {
    /** Attacks that stop per sample once it is fooled. */
    static final List<String> STOPS = List.of("fgsm", "fgm", "bim", "pgd", "mifgsm", "apgd-ce", "apgd-dlr", "apgd-t", "square", "autoattack");
    /**
     * Attacks that stop per sample once it is fooled but whose step costs several model passes (DeepFool: one
     * gradient per candidate class; JSMA: a forward check before each pixel pair), with the constant number of
     * queries an already fooled sample costs them. They are held to that constant, not to the per-step budget below.
     */
    static final Map<String, Integer> STOPS_AFTER_A_SEARCH = Map.of("deepfool", 2, "jsma", 3);
    /** Attacks that keep working on fooled samples, and why. */
    static final Map<String, String> KEEPS_GOING = Map.of(
            "cw", "each binary-search step keeps shrinking the perturbation of samples it has fooled, to find the smallest");

    static Classifier model;
    static Tensor x;
    static int[] y;

    @BeforeAll
    static void load() throws IOException {
        model = Fixtures.lenet5(64);
        Dataset d = Fixtures.fashion(64);
        x = d.images();
        y = d.labels();
    }

    /** Counts the images that go through the model, forward or backward. */
    static final class Counting extends MaskedModels.Wrapper {
        long images;

        Counting(Classifier inner) {
            super(inner);
        }

        @Override
        public Tensor logits(Tensor t) {
            images += t.dim(0);
            return inner.logits(t);
        }

        @Override
        public Gradient gradient(Tensor t, Objective objective) {
            images += t.dim(0);
            return inner.gradient(t, objective);
        }
    }

    static List<String> stops() {
        return STOPS;
    }

    static List<String> stopsAtAConstantCost() {
        List<String> all = new java.util.ArrayList<>(STOPS);
        all.addAll(new TreeSet<>(STOPS_AFTER_A_SEARCH.keySet()));
        return all;
    }

    @Test
    void everyRegisteredAttackIsListed() {
        Set<String> registered = new TreeSet<>();
        Attacks.all().forEach(a -> registered.add(a.name()));
        Set<String> listed = new TreeSet<>(STOPS);
        listed.addAll(STOPS_AFTER_A_SEARCH.keySet());
        listed.addAll(KEEPS_GOING.keySet());
        assertEquals(registered, listed);
    }

    private static AttackConfig config(Attack a, double eps, int steps, int restarts) {
        AttackConfig d = a.defaults(eps);
        return new AttackConfig(d.norm(), eps, steps, d.stepSize(), restarts, false, Target.UNTARGETED, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stopsAtAConstantCost")
    void aFooledSampleCostsAConstantNumberOfQueries(String name) {
        int[] wrong = IntStream.range(0, y.length).filter(i -> model.predict(x)[i] != y[i]).toArray();
        assertTrue(wrong.length >= 3, "the fixture slice has misclassified samples");
        Tensor xs = x.gather(wrong);
        int[] ys = IntStream.of(wrong).map(i -> y[i]).toArray();
        Attack a = Attacks.named(name);
        int allowed = STOPS_AFTER_A_SEARCH.getOrDefault(name, 2);
        for (int steps : new int[] {5, 50}) {
            Counting c = new Counting(model);
            AttackResult r = a.run(c, xs, ys, config(a, 0.05, steps, 3));
            long reported = 0;
            for (int i = 0; i < wrong.length; i++) {
                assertTrue(r.queries()[i] <= allowed, name + ": an already fooled sample cost " + r.queries()[i] + " queries at " + steps + " steps");
                reported += r.queries()[i];
            }
            // The template's own clean and adversarial predictions cost two images per sample.
            assertEquals(reported + 2L * wrong.length, c.images, name + ": queries counted by the model");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stops")
    void queriesAreWhatTheModelSaw(String name) {
        Attack a = Attacks.named(name);
        Counting c = new Counting(model);
        int steps = a.defaults(0.1).steps();
        AttackResult r = a.run(c, x, y, config(a, 0.1, steps, 2));
        long reported = 0;
        int early = 0;
        for (int i = 0; i < y.length; i++) {
            reported += r.queries()[i];
            if (r.success()[i] && r.queries()[i] <= 6) {
                early++;
            }
        }
        assertEquals(reported + 2L * y.length, c.images, name + ": queries counted by the model");
        if (steps > 1 && a.whiteBox()) {
            // At eps 0.1 many samples fall within a step or two: they cost a few queries (an ensemble adds its own
            // checks), not restarts * (steps + 1).
            assertTrue(early >= y.length / 4, name + ": only " + early + " samples stopped within 6 queries");
            assertTrue(reported < (long) y.length * (steps + 1) * 2 / 3, name + ": " + reported + " queries for " + y.length + " samples");
        }
    }
}
