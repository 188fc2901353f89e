package dev.fovea.audit.run;

import dev.fovea.audit.Fixture;
import dev.fovea.audit.ProgressListener;
import dev.fovea.data.Dataset;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.method.InvalidOptionException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplainRunTest {
    @Test
    void mapsDoNotDependOnTheChunking() {
        Dataset d = Fixture.fashion(10);
        for (String m : List.of("saliency", "smoothgrad", "integrated-gradients", "grad-cam")) {
            ExplainRun plan = ExplainRun.of(m).withOptions(m.equals("smoothgrad") ? Map.of("samples", "4") : Map.of()).withSeed(3);
            ExplainRun.Result a = plan.withConfig(plan.config().withBatchSize(3)).run(Fixture.lenet5(), d);
            ExplainRun.Result b = plan.withConfig(plan.config().withBatchSize(64)).run(Fixture.lenet5(), d);
            assertArrayEquals(a.attribution().maps().data(), b.attribution().maps().data(), m);
            assertArrayEquals(a.attribution().scores(), b.attribution().scores(), m);
        }
    }

    @Test
    void integratedGradientsReportsItsCompleteness() {
        ExplainRun.Result r = ExplainRun.of("integrated-gradients").withOptions(Map.of("steps", "64")).run(Fixture.lenet5(), Fixture.fashion(4));
        assertTrue(r.attribution().hasDeltas());
        assertTrue(r.maxAbsDelta() < 0.05, "64 Gauss-Legendre points: delta " + r.maxAbsDelta());
        assertTrue(r.meanAbsDelta() <= r.maxAbsDelta());
        assertEquals(0, ExplainRun.of("saliency").run(Fixture.lenet5(), Fixture.fashion(2)).maxAbsDelta());
    }

    @Test
    void targetsAndOptionsAreCheckedBeforeAnyWork() {
        List<String> events = new ArrayList<>();
        ExplainRun.Listener l = new ExplainRun.Listener() {
            @Override
            public ProgressListener.Task start(String name, long total, String unit) {
                events.add("start " + name);
                return ProgressListener.NONE.start(name, total, unit);
            }

            @Override
            public void checked() {
                events.add("checked");
            }
        };
        Dataset d = Fixture.fashion(3);
        var window = assertThrows(InvalidOptionException.class,
                () -> ExplainRun.of("occlusion").withOptions(Map.of("window", "29")).run(Fixture.lenet5(), d.images(), d.labels(), l));
        assertEquals("window", window.option());
        var label = assertThrows(IllegalArgumentException.class,
                () -> ExplainRun.of("saliency").withTarget("label").run(Fixture.lenet5(), d.images(), null, l));
        assertNotNull(label.getMessage());
        assertEquals(List.of(), events, "nothing started");
        ExplainRun.of("grad-cam").run(Fixture.lenet5(), d.images(), d.labels(), l);
        assertEquals(List.of("checked", "start explain grad-cam"), events);
    }

    @Test
    void theResolvedOptionsAreKept() {
        ExplainRun.Result r = ExplainRun.of("grad-cam").run(Fixture.lenet5(), Fixture.fashion(2));
        assertNotNull(r.attribution().layer(), "grad-cam says which layer it read");
        assertEquals(ExplainConfig.DEFAULT_BATCH_SIZE, r.plan().config().batchSize());
        assertEquals("grad-cam", r.plan().options().get("method"));
    }
}
