package dev.fovea.attacks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    static final List<String> STOPS = List.of("fgsm", "fgm", "bim", "pgd", "mifgsm", "apgd-ce", "apgd-dlr", "apgd-t", "square", "autoattack",
            "autoattack-fast");
    /**
     * Attacks that stop per sample once it is fooled but whose step costs several model passes (DeepFool: one
     * gradient per candidate class; JSMA: a forward check before each pixel pair; EOT-PGD: 20 calls per gradient), with the constant number of
     * queries an already fooled sample costs them. They are held to that constant, not to the per-step budget below.
     */
    static final Map<String, Integer> STOPS_AFTER_A_SEARCH = Map.of("deepfool", 2, "jsma", 3, "eot-pgd", 2 * 20);
    /** Attacks that keep working on fooled samples, and why. */
    static final Map<String, String> KEEPS_GOING = Map.of(
            "cw", "each binary-search step keeps shrinking the perturbation of samples it has fooled, to find the smallest",
            "fab", "a success steps back towards the clean image and goes on, to find the smallest perturbation",
            "fab-t", "a success steps back towards the clean image and goes on, to find the smallest perturbation",
            "boundary", "it starts from an adversarial point and walks it towards the clean image until the budget is spent",
            "hsj", "it starts from an adversarial point and moves it towards the clean image until the budget is spent");

    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(64);
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
        return a.defaults(eps).withSteps(steps).withRestarts(restarts).withRandomStart(false).withSeed(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stopsAtAConstantCost")
    void aFooledSampleCostsAConstantNumberOfQueries(String name) {
        Fixtures.Slice wrong = data.misclassified();
        assertTrue(wrong.size() >= 3, "the fixture slice has misclassified samples");
        Attack a = Attacks.named(name);
        int allowed = STOPS_AFTER_A_SEARCH.getOrDefault(name, 2);
        for (int steps : new int[] {5, 50}) {
            Fixtures.Counting c = new Fixtures.Counting(data.model());
            AttackResult r = wrong.on(c).run(a, config(a, 0.05, steps, 3));
            long reported = 0;
            for (int i = 0; i < wrong.size(); i++) {
                assertTrue(r.queries()[i] <= allowed, name + ": an already fooled sample cost " + r.queries()[i] + " queries at " + steps + " steps");
                reported += r.queries()[i];
            }
            // The template's own clean and adversarial predictions cost two images per sample.
            assertEquals(reported + 2L * wrong.size(), c.images, name + ": queries counted by the model");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stops")
    void queriesAreWhatTheModelSaw(String name) {
        Attack a = Attacks.named(name);
        Fixtures.Counting c = new Fixtures.Counting(data.model());
        int steps = a.defaults(0.1).steps();
        AttackResult r = data.on(c).run(a, config(a, 0.1, steps, 2));
        int n = data.size();
        long reported = 0;
        int early = 0;
        for (int i = 0; i < n; i++) {
            reported += r.queries()[i];
            if (r.success()[i] && r.queries()[i] <= 6) {
                early++;
            }
        }
        assertEquals(reported + 2L * n, c.images, name + ": queries counted by the model");
        if (steps > 1 && a.whiteBox()) {
            // At eps 0.1 many samples fall within a step or two: they cost a few queries (an ensemble adds its own
            // checks), not restarts * (steps + 1).
            assertTrue(early >= n / 4, name + ": only " + early + " samples stopped within 6 queries");
            assertTrue(reported < (long) n * (steps + 1) * 2 / 3, name + ": " + reported + " queries for " + n + " samples");
        }
    }
}
