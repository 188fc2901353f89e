package dev.fovea.audit.run;

import dev.fovea.audit.Fixture;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Family;
import dev.fovea.image.corrupt.Suite;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CorruptionRun} on the bundled LeNet-5: its results' properties, chunk-size invariance and the mCE formulas. */
class CorruptionRunTest {
    static final FakeCorruptions.Identity IDENTITY = new FakeCorruptions.Identity();

    @BeforeAll
    static void register() {
        Corruptions.register(IDENTITY);
    }

    @AfterAll
    static void unregister() {
        Corruptions.unregister(IDENTITY.name());
    }

    private static CorruptionRun plan(List<Corruption<?>> cs) {
        return CorruptionRun.of(cs).withSeverities(List.of(1, 3, 5)).withSeed(7);
    }

    @Test
    void anIdentityKeepsCleanAccuracyAndFlipsNothing() {
        Dataset d = Fixture.fashion(48);
        CorruptionRun.Result r = plan(CorruptionRun.select("test-identity,gaussian-noise")).run(Fixture.lenet5(), d);
        CorruptionRun.Summary id = r.of("test-identity");
        assertEquals(3, id.cells().size());
        for (CorruptionRun.Cell c : id.cells()) {
            assertEquals(r.cleanAccuracy(), c.accuracy(), 0.0, "severity " + c.severity());
            assertEquals(0.0, c.flipRate(), 0.0);
            assertEquals(0.0, c.trueClassProbabilityChange(), 0.0);
        }
        assertEquals(0.0, id.errorIncrease(), 1e-15);
        CorruptionRun.Summary noise = r.of("gaussian-noise");
        for (CorruptionRun.Cell c : noise.cells()) {
            assertTrue(c.flipRate() > 0, "noise changes some prediction at severity " + c.severity());
            assertArrayEquals(new int[] {CorruptionRun.DEFAULT_EXAMPLES, 1, 28, 28}, c.examples().shape().dims());
        }
        assertEquals(48, r.size());
        assertEquals((long) 48 * (3 + 3 + 1), r.timing().imagesClassified());
        assertTrue(r.timing().modelSeconds() > 0 && r.timing().corruptingSeconds() > 0, r.timing().toString());
    }

    @Test
    void resultsDoNotDependOnTheChunkSize() {
        Dataset d = Fixture.fashion(40);
        CorruptionRun base = plan(CorruptionRun.select("gaussian-noise,brightness")).withExamples(5);
        CorruptionRun.Result a = base.withBatchSize(64).run(Fixture.lenet5(), d);
        CorruptionRun.Result b = base.withBatchSize(3).run(Fixture.lenet5(), d);
        assertEquals(a.cleanAccuracy(), b.cleanAccuracy(), 0.0);
        for (int s = 0; s < a.corruptions().size(); s++) {
            List<CorruptionRun.Cell> ca = a.corruptions().get(s).cells();
            List<CorruptionRun.Cell> cb = b.corruptions().get(s).cells();
            for (int i = 0; i < ca.size(); i++) {
                String what = ca.get(i).corruption() + " " + ca.get(i).severity();
                assertEquals(ca.get(i).accuracy(), cb.get(i).accuracy(), 0.0, what);
                assertEquals(ca.get(i).flipRate(), cb.get(i).flipRate(), 0.0, what);
                assertEquals(ca.get(i).trueClassProbabilityChange(), cb.get(i).trueClassProbabilityChange(), 0.0, what);
                assertArrayEquals(ca.get(i).examples().data(), cb.get(i).examples().data(), what);
                assertArrayEquals(ca.get(i).examplePrediction(), cb.get(i).examplePrediction(), what);
            }
        }
        // the run classifies the images that corrupt() gives for the whole set
        Tensor all = base.withBatchSize(3).corrupt(d.images(), Corruptions.named("gaussian-noise"), 3);
        Tensor kept = a.of("gaussian-noise").cells().get(1).examples();
        float[] first = java.util.Arrays.copyOf(all.data(), kept.size());
        assertArrayEquals(first, kept.data());
    }

    @Test
    void anUngradedCorruptionRunsOnce() {
        FakeCorruptions.Dim flip = new FakeCorruptions.Dim("test-ungraded", Suite.AUGMENTATION, Family.GEOMETRIC, false, false);
        CorruptionRun.Result r = plan(List.of(flip)).run(Fixture.lenet5(), Fixture.fashion(16));
        assertEquals(1, r.of("test-ungraded").cells().size());
        assertEquals(1, r.of("test-ungraded").cells().get(0).severity());
        assertNull(r.benchmark().meanError(), "no benchmark corruption ran");
    }

    private static CorruptionRun.Cell cell(String name, int severity, double error) {
        return new CorruptionRun.Cell(name, severity, 1 - error, error, 0, 0, Tensor.zeros(0, 1, 1, 1), new int[0], new float[0]);
    }

    /**
     * Two benchmark corruptions and an extra, errors by hand, clean error 0.1; reference clean error 0.2:
     * A (0.2, 0.4) against (0.4, 0.8): mean 0.3, CE 0.6/1.2 = 0.5, relative CE (0.1+0.3)/(0.2+0.6) = 0.5;
     * B (0.5, 0.7) against (0.5, 0.5): mean 0.6, CE 1.2/1.0 = 1.2, relative CE (0.4+0.6)/(0.3+0.3) = 5/3;
     * unnormalised mCE 0.45, mCE 0.85, relative mCE 13/12; the extra, which the reference lacks, is left out.
     */
    @Test
    void meanCorruptionErrorsAsImageNetCDefinesThem() {
        Corruption<?> a = new FakeCorruptions.Dim("a", Suite.BENCHMARK);
        Corruption<?> b = new FakeCorruptions.Dim("b", Suite.BENCHMARK);
        Corruption<?> x = new FakeCorruptions.Dim("x", Suite.EXTRA);
        CorruptionRun.Reference ref = new CorruptionRun.Reference("ref.json", 0.2,
                Map.of("a", Map.of(1, 0.4, 2, 0.8), "b", Map.of(1, 0.5, 2, 0.5, 3, 0.9)));
        List<CorruptionRun.Summary> s = new ArrayList<>();
        s.add(CorruptionRun.summary(a, List.of(cell("a", 1, 0.2), cell("a", 2, 0.4)), 0.1, ref, 0));
        s.add(CorruptionRun.summary(b, List.of(cell("b", 1, 0.5), cell("b", 2, 0.7)), 0.1, ref, 0));
        s.add(CorruptionRun.summary(x, List.of(cell("x", 1, 0.9)), 0.1, ref, 0));
        assertEquals(0.3, s.get(0).meanError(), 1e-12);
        assertEquals(0.2, s.get(0).errorIncrease(), 1e-12);
        assertEquals(3.0, s.get(0).errorRatio(), 1e-12);
        assertEquals(0.5, s.get(0).ce(), 1e-12);
        assertEquals(0.5, s.get(0).relativeCe(), 1e-12);
        assertEquals(1.2, s.get(1).ce(), 1e-12);
        assertEquals(5.0 / 3, s.get(1).relativeCe(), 1e-12);
        CorruptionRun.Mce m = CorruptionRun.mce(Suite.BENCHMARK, s, ref);
        assertEquals(List.of("a", "b"), m.corruptions());
        assertEquals(0.45, m.meanError(), 1e-12);
        assertEquals(0.85, m.mce(), 1e-12);
        assertEquals(13.0 / 12, m.relativeMce(), 1e-12);
        assertEquals(List.of(), m.notInReference());
        CorruptionRun.Mce e = CorruptionRun.mce(Suite.EXTRA, s, ref);
        assertEquals(0.9, e.meanError(), 1e-12);
        assertNull(e.mce());
        assertEquals(List.of("x"), e.notInReference());
        CorruptionRun.Mce none = CorruptionRun.mce(Suite.BENCHMARK, s, null);
        assertEquals(0.45, none.meanError(), 1e-12);
        assertNull(none.mce());
        assertNull(none.relativeMce());
    }

    @Test
    void aModelAgainstItselfHasAnMceOfOne() {
        Dataset d = Fixture.fashion(32);
        CorruptionRun p = plan(CorruptionRun.select("gaussian-noise,brightness"));
        CorruptionRun.Result first = p.run(Fixture.lenet5(), d);
        java.util.Map<String, java.util.Map<Integer, Double>> errors = new java.util.LinkedHashMap<>();
        for (CorruptionRun.Summary s : first.corruptions()) {
            java.util.Map<Integer, Double> e = new java.util.LinkedHashMap<>();
            s.cells().forEach(c -> e.put(c.severity(), c.error()));
            errors.put(s.corruption(), e);
        }
        CorruptionRun.Result again = p.withReference(new CorruptionRun.Reference("self", first.cleanError(), errors)).run(Fixture.lenet5(), d);
        assertEquals(1.0, again.benchmark().mce(), 1e-12);
        for (CorruptionRun.Summary s : again.corruptions()) {
            assertEquals(1.0, s.ce(), 1e-12, s.corruption());
            if (s.relativeCe() != null) {
                assertEquals(1.0, s.relativeCe(), 1e-12, s.corruption());
            }
        }
        assertEquals(first.benchmark().meanError(), again.benchmark().meanError(), 0.0);
    }

    @Test
    void plansAndSelectionsAreChecked() {
        assertEquals(List.of(1, 2, 3, 5), CorruptionRun.severities("1-3,5"));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> CorruptionRun.severities("0-5"));
        assertEquals("severities", e.option());
        assertThrows(InvalidOptionException.class, () -> CorruptionRun.severities("6"));
        assertThrows(InvalidOptionException.class, () -> CorruptionRun.severities("two"));
        InvalidOptionException u = assertThrows(InvalidOptionException.class, () -> CorruptionRun.select("gaussian-noise,fog-of-war"));
        assertTrue(u.getMessage().startsWith("corruptions: unknown corruption 'fog-of-war' (known: "), u.getMessage());
        for (String name : Corruptions.names()) {
            assertTrue(u.getMessage().contains(name), name + " in " + u.getMessage());
        }
        assertEquals(Corruptions.all(), CorruptionRun.select("all"));
        assertEquals(Corruptions.of(Suite.BENCHMARK), CorruptionRun.select("benchmark"));
        assertTrue(CorruptionRun.groups("benchmark,extra"));
        assertTrue(!CorruptionRun.groups("benchmark,brightness"));
        assertThrows(InvalidOptionException.class, () -> plan(CorruptionRun.select("brightness")).withSeverities(List.of(1, 1)));
        assertThrows(InvalidOptionException.class, () -> plan(List.of(IDENTITY, IDENTITY)));
        FakeCorruptions.Dim colour = new FakeCorruptions.Dim("test-colour", Suite.EXTRA, Family.COLOUR, true, true);
        CorruptionRun c = plan(List.of(colour));
        assertEquals(List.of(colour), c.colourOnlyFor(Shape.of(1, 28, 28)));
        InvalidOptionException g = assertThrows(InvalidOptionException.class, () -> c.check(Shape.of(1, 28, 28)));
        assertEquals("corruptions: test-colour changes colours only, and the images [1,28,28] are grayscale", g.getMessage());
        c.check(Shape.of(3, 32, 32));
        assertThrows(InvalidOptionException.class, () -> c.run(Fixture.lenet5(), Fixture.fashion(4)));
    }
}
