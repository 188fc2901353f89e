package dev.fovea.audit.run;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.AttackOptions;
import dev.fovea.attacks.AttackResult;
import dev.fovea.attacks.CarliniWagner;
import dev.fovea.attacks.DeepFool;
import dev.fovea.attacks.Pgd;
import dev.fovea.attacks.Square;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.Json;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackRunTest {
    @Test
    void plansAreValidatedWithTheLibrarysNames() {
        var norm = assertThrows(InvalidOptionException.class, () -> AttackRun.of("cw", 0.1).withNorm(Norm.LINF));
        assertEquals("norm", norm.option());
        assertEquals("norm: cw works in l2, got linf", norm.getMessage());
        var eps = assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", 0.1, 1.5));
        assertEquals("eps", eps.option());
        assertTrue(eps.getMessage().startsWith("eps "), eps.getMessage());
        assertEquals("eps", assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", Double.NaN)).option());
        assertEquals("eps", assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd")).option());
        assertEquals("steps", assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", 0.1).withSteps(0)).option());
        assertEquals("method", assertThrows(InvalidOptionException.class,
                () -> new AttackRun(null, null, List.of(0.1), null, 0, null, null, null, null)).option());
    }

    @Test
    void anL2BudgetIsCappedByTheInputsSizeOnceTheModelIsKnown() throws Exception {
        var negative = assertThrows(InvalidOptionException.class, () -> AttackRun.of("fgm", -1));
        assertEquals("eps values must be finite and >= 0 for l2 (pixel units), got -1.0", negative.getMessage());
        var linf = assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", 2));
        assertEquals("eps values must be in [0,1] for linf (pixel units; l0: fraction of pixels), got 2.0", linf.getMessage());
        AttackRun far = AttackRun.of("fgm", 1, 30);
        var mnist = assertThrows(InvalidOptionException.class, () -> far.check(Fixture.lenet5()));
        assertEquals("eps", mnist.option());
        assertEquals("eps values must be at most sqrt(C*H*W) = 28 for l2 on inputs [1,28,28] (the distance from a black to a white image), got 30.0",
                mnist.getMessage());
        Dataset d = Fixture.fashion(2);
        assertThrows(InvalidOptionException.class, () -> far.run(Fixture.lenet5(), d), "run checks it too");
        AttackRun.of("fgm", 28).check(Fixture.lenet5());
        Network colour = Network.create(Architecture.named("mlp"), Shape.of(3, 32, 32), List.of("a", "b"), new float[] {0}, new float[] {1}, 1);
        try (Classifier c = ModelLoader.open(colour, ModelLoader.Options.defaults())) {
            far.check(c);
            assertEquals(Math.sqrt(3 * 32 * 32), AttackRun.maxL2(c.inputShape()), 1e-12);
            var big = assertThrows(InvalidOptionException.class, () -> AttackRun.of("fgm", 60).check(c));
            assertTrue(big.getMessage().startsWith("eps values must be at most sqrt(C*H*W) = 55.43 for l2 on inputs [3,32,32]"), big.getMessage());
        }
    }

    @Test
    void aBudgetGivenTwiceIsRefused() {
        var twice = assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", 0.1, 0.05, 0.1));
        assertEquals("eps", twice.option());
        assertEquals("eps: budget 0.1 is given twice; give each budget once", twice.getMessage());
        assertEquals("eps", assertThrows(InvalidOptionException.class, () -> AttackRun.of("pgd", 0.0, -0.0)).option(), "0 and -0 are one budget");
        assertEquals(List.of(0.00196078431372549, 0.002), AttackRun.of("pgd", 0.002, 0.00196078431372549).budgets(), "close is not the same");
        assertEquals(List.of(0.0, 0.5), AttackRun.of("pgd", 0.1).withBudgets(List.of(0.5, 0.0)).budgets());
    }

    @Test
    void aMinimumNormSearchRunsWhenTheOnlyBudgetIsZero() {
        AttackRun.Result r = AttackRun.of("deepfool", 0).run(Fixture.lenet5(), Fixture.fashion(6));
        assertTrue(r.hasMinimalNorm(), "searched whatever the budgets");
        assertTrue(java.util.Arrays.stream(r.budgets().get(0).result().minimalNorm()).anyMatch(v -> v > 0 && Double.isFinite(v)));
        assertEquals(r.cleanAccuracy(), r.budgets().get(0).robustAccuracy(), "nothing moves at budget 0");
    }

    @Test
    void budgetsAreSortedAndEachGetsTheAttacksDefaultsThere() {
        AttackRun r = AttackRun.of("pgd", 0.1, 0, 0.05);
        assertEquals(List.of(0.0, 0.05, 0.1), r.budgets());
        assertEquals(Norm.LINF, r.norm(), "the attack's default norm");
        assertEquals(Attacks.named("pgd").defaults(Norm.LINF, 0.05).stepSize(), r.config(0.05).stepSize());
        assertEquals(0.01, r.withStepSize(0.01).config(0.05).stepSize(), "an explicit step size is not scaled");
        assertEquals(7, r.withSteps(7).config(0.1).steps());
        assertEquals(9L, r.withSeed(9).config(0.1).seed());
    }

    @Test
    void theAttacksOwnOptionsComeByNameThroughTheRegistry() throws Exception {
        AttackRun plain = AttackRun.of("cw", 0.5, 1);
        assertEquals(CarliniWagner.Options.DEFAULTS, plain.attackOptions(), "the attack's defaults unless given");
        assertEquals(CarliniWagner.Options.DEFAULTS, plain.config(1).options());
        AttackRun cw = plain.withOptions(Map.of("kappa", "2", "searchSteps", "4")).withSteps(7);
        CarliniWagner.Options want = CarliniWagner.Options.DEFAULTS.withKappa(2).withSearchSteps(4);
        assertEquals(want, cw.attackOptions(), "kept by the other copies");
        assertEquals(want, cw.config(0.5).options(), "every budget's configuration carries them");
        assertEquals(want, cw.options().get("options"), "provenance reports them");
        assertEquals("{\"search_steps\":4,\"initial_const\":0.1,\"kappa\":2.0,\"abort_early\":false}",
                Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(cw.options().get("options")),
                "as the reports write it");
        assertEquals(new Pgd.Options(0.5), AttackRun.of("mifgsm", 0.1).withOptions(Map.of("decay", "0.5")).config(0.1).options());
        assertEquals(AttackOptions.NONE, AttackRun.of("pgd", 0.1).options().get("options"));
        var unknown = assertThrows(InvalidOptionException.class, () -> AttackRun.of("deepfool", 0.1).withOptions(Map.of("kappa", "1")));
        assertEquals("kappa", unknown.option());
        assertEquals("kappa: not an option of deepfool (options: candidates, overshoot)", unknown.getMessage());
        var bad = assertThrows(InvalidOptionException.class, () -> AttackRun.of("square", 0.1).withOptions(Map.of("pInit", "2")));
        assertEquals("pInit", bad.option());
        assertThrows(IllegalArgumentException.class, () -> AttackRun.of("pgd", 0.1).withOptions(new Square.Options(0.5)));
    }

    @Test
    void aRunWithOptionsIsTheAttackWithThem() {
        Dataset d = Fixture.fashion(6);
        AttackRun plan = AttackRun.of("deepfool", 0.5).withOptions(Map.of("overshoot", "0.3"));
        AttackRun.Result r = plan.run(Fixture.lenet5(), d);
        AttackConfig c = Attacks.named("deepfool").defaults(Norm.L2, 0.5).withOptions(new DeepFool.Options(10, 0.3));
        AttackResult direct = Attacks.named("deepfool").run(Fixture.lenet5(), d.images(), d.labels(), c);
        assertArrayEquals(direct.adversarial().data(), r.budgets().get(0).result().adversarial().data());
    }

    @Test
    void aRunMeasuresEachBudgetAndReportsAsItGoes() {
        Dataset d = Fixture.fashion(16);
        Tensor before = d.images().copy();
        List<String> events = new ArrayList<>();
        AttackRun.Result r = AttackRun.of("fgsm", 0, 0.05, 0.2).run(Fixture.lenet5(), d.images(), d.labels(), new AttackRun.Listener() {
            @Override
            public ProgressListener.Task start(String name, long total, String unit) {
                events.add("start " + name + " " + total + " " + unit);
                return ProgressListener.NONE.start(name, total, unit);
            }

            @Override
            public void clean(double accuracy) {
                events.add("clean");
            }

            @Override
            public void budget(AttackRun.Budget b) {
                events.add("eps " + b.eps());
            }
        });
        // FGSM: at most one gradient and two checks per sample, at each positive budget
        assertEquals(List.of("clean", "start attack " + 16 * (3 + 3) + " queries", "eps 0.0", "eps 0.05", "eps 0.2"), events);
        assertArrayEquals(before.data(), d.images().data(), "the images are not changed");
        assertEquals(r.cleanAccuracy(), r.budgets().get(0).robustAccuracy(), "nothing moves at eps 0");
        double last = 1;
        for (AttackRun.Budget b : r.budgets()) {
            assertTrue(b.robustAccuracy() <= last + 1e-12, "accuracy never rises with the budget");
            last = b.robustAccuracy();
            for (double l : b.result().linf()) {
                assertTrue(l <= b.eps() + 1e-6, "inside the ball");
            }
            assertEquals(16 * 10, b.adversarialProbability().length);
        }
        assertTrue(r.at(0.2).robustAccuracy() < r.cleanAccuracy(), "FGSM at 0.2 fools LeNet-5 on some images");
        assertThrows(IllegalArgumentException.class, () -> r.at(0.3));
    }

    /** A listener that records every task's total and the units it was stepped by, with their messages. */
    static final class Recorded implements ProgressListener {
        final List<String> names = new ArrayList<>();
        final List<Long> totals = new ArrayList<>();
        final List<Long> stepped = new ArrayList<>();
        final List<String> messages = new ArrayList<>();

        @Override
        public Task start(String name, long total, String unit) {
            names.add(name + " " + unit);
            totals.add(total);
            stepped.add(0L);
            int i = stepped.size() - 1;
            return new Task() {
                @Override
                public void step(long n, String message) {
                    assertTrue(n > 0, "steps forward");
                    stepped.set(i, stepped.get(i) + n);
                    if (message != null && (messages.isEmpty() || !messages.get(messages.size() - 1).equals(message))) {
                        messages.add(message);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void progressCountsModelEvaluationsAndEndsAtItsTotal() {
        Dataset d = Fixture.fashion(12);
        Recorded rec = new Recorded();
        AttackRun.of("pgd", 0, 0.05, 0.1).withSteps(7).run(Fixture.lenet5(), d.images(), d.labels(), rec);
        assertEquals(List.of("attack queries"), rec.names);
        assertEquals(List.of(12L * 2 * (7 + 2)), rec.totals, "PGD-7 at two positive budgets: at most 9 evaluations per sample each");
        assertEquals(rec.totals, rec.stepped, "the bar ends at its total, whatever the attack spent");
        assertEquals(List.of("eps 0.05", "eps 0.1"), rec.messages);

        Recorded search = new Recorded();
        AttackRun df = AttackRun.of("deepfool", 0.05, 0.1);
        df.run(Fixture.lenet5(), d.images(), d.labels(), search);
        assertEquals(List.of("deepfool search queries"), search.names, "the budgets after a search open no bar of their own");
        assertEquals(List.of(12 * df.attack().queryBound(df.config(0.1), 10, 784)), search.totals);
        assertEquals(search.totals, search.stepped);
    }

    @Test
    void diagnosticsSayTheirRunsUpFrontAndProgressThroughThemInOrder() {
        Dataset d = Fixture.fashion(10);
        DiagnosticsRun diag = new DiagnosticsRun(Norm.LINF, List.of(0.05, 0.1), 3);
        DiagnosticsRun.Plan plan = diag.plan(Fixture.lenet5(), 10);
        assertEquals(diag.setup().runs(), plan.runs().size());
        List<String> whats = plan.runs().stream().map(dev.fovea.attacks.Diagnostics.Planned::what).toList();
        assertEquals(List.of("pgd eps 0.05", "fgsm eps 0.05", "pgd eps 0.1", "fgsm eps 0.1", "pgd eps 0.5", "pgd seed 4 at the reference budget",
                "pgd seed 5 at the reference budget", "pgd seed 6 at the reference budget", "square at the reference budget"), whats);
        dev.fovea.attacks.Diagnostics.Planned black = plan.runs().get(plan.runs().size() - 1);
        assertEquals(25 * 20 + 25 * 2, black.config().steps(), "the black box gets 25 times PGD-20's evaluations, not Square's 5000");
        assertEquals(List.of("pgd: 6 runs, at most 22 evaluations per sample each", "fgsm: 2 runs, at most 3 evaluations per sample each",
                "square: 1 run, at most 552 evaluations per sample"), plan.describe(10, 784));
        Recorded rec = new Recorded();
        diag.run(Fixture.lenet5(), d.images(), d.labels(), rec);
        assertEquals(List.of(plan.queries()), rec.totals);
        assertEquals(rec.totals, rec.stepped);
        assertEquals(whats, rec.messages, "each run shown as it runs, in the planned order");
    }

    @Test
    void aMinimumNormSearchInChunksEqualsOneSearchOverTheBatch() {
        Dataset d = Fixture.fashion(20);
        AttackRun plan = AttackRun.of("deepfool", 0.05, 0.1);
        AttackRun.Result chunked = plan.run(Fixture.lenet5(), d.images(), d.labels(), ProgressListener.NONE);
        List<AttackResult> whole = plan.attack().runAtBudgets(Fixture.lenet5(), d.images(), d.labels(), plan.config(0.1), new double[] {0.05, 0.1});
        assertTrue(chunked.hasMinimalNorm());
        for (int b = 0; b < 2; b++) {
            AttackResult c = chunked.budgets().get(b).result();
            assertArrayEquals(whole.get(b).adversarial().data(), c.adversarial().data(), "budget " + b);
            assertArrayEquals(whole.get(b).minimalNorm(), c.minimalNorm());
        }
    }

    @Test
    void theEnsembleSaysWhichComponentFooledEachSample() {
        Dataset d = Fixture.fashion(8);
        AttackRun.Result r = AttackRun.of("autoattack", 0.1).withSteps(3).run(Fixture.lenet5(), d);
        AttackResult a = r.budgets().get(0).result();
        assertTrue(a.hasFooledBy());
        assertEquals(8, a.fooledBy().size());
        assertEquals(8, a.fooledByCounts().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aFixedTargetIsCheckedAgainstTheModel() {
        AttackRun r = AttackRun.of("pgd", 0.1).withTarget(new Target.Fixed(12));
        var e = assertThrows(IllegalArgumentException.class, () -> r.check(Fixture.lenet5()));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("12"), e.getMessage());
        assertEquals("Bag", AttackRun.describe(new Target.Fixed(8), Fixture.lenet5().classNames()));
        assertEquals("random", AttackRun.describe(new Target.RandomClass(), null));
        assertEquals("no", AttackRun.describe(Target.UNTARGETED, null));
    }
}
