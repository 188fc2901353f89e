package dev.fovea.explain.plane;

import dev.fovea.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plane-folding network learns the moons with 2-unit hidden layers, and every 2-D layer gets a view. */
class PlaneFoldingTest {
    @Test
    void narrowNetworkSeparatesTheMoonsAndEveryLayerHasAView() {
        Dataset d = ToySet.MOONS.generate(400, 0.1, 0);
        PlaneFolding.Result r = PlaneFolding.run(d, new PlaneFolding.Config(new int[] {2, 2, 2}, 200, 0.01, 0), null);
        assertTrue(r.accuracy() >= 0.97, "training accuracy on moons with hidden widths 2,2,2: " + r.accuracy());
        List<String> names = r.stages().stream().map(PlaneFolding.Stage::name).toList();
        assertEquals(List.of("input", "affine 1", "relu 1", "affine 2", "relu 2", "affine 3", "relu 3", "logits"), names);
        for (PlaneFolding.Stage s : r.stages()) {
            assertEquals(2 * 2 * PlaneFolding.LINES * PlaneFolding.SAMPLES, s.grid().length, s.name());
            assertEquals(2 * d.size(), s.points().length, s.name());
            assertEquals(PlaneFolding.RASTER * PlaneFolding.RASTER, s.regions().length, s.name());
            if (s.name().startsWith("relu")) {
                for (float v : s.points()) {
                    assertTrue(v >= 0, s.name() + ": a ReLU folds every point into the positive quadrant, got " + v);
                }
            }
        }
    }

    @Test
    void wideNetworkHasOnlyTheInputAndLogitViews() {
        Dataset d = ToySet.SPIRALS.generate(300, 0.02, 1);
        PlaneFolding.Result r = PlaneFolding.run(d, new PlaneFolding.Config(new int[] {24, 24}, 150, 0.01, 1), null);
        assertEquals(List.of("input", "logits"), r.stages().stream().map(PlaneFolding.Stage::name).toList());
        assertTrue(r.accuracy() >= 0.9, "training accuracy on spirals with widths 24,24: " + r.accuracy());
    }

    @Test
    void toySetsAreSeededAndBalanced() {
        Dataset a = ToySet.SPIRALS.generate(50, 0.05, 3);
        Dataset b = ToySet.SPIRALS.generate(50, 0.05, 3);
        assertArrayEquals(a.images().data(), b.images().data());
        assertEquals(25, java.util.Arrays.stream(a.labels()).sum());
        assertThrows(IllegalArgumentException.class, () -> ToySet.MOONS.generate(10, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> ToySet.parse("circles"));
        assertThrows(IllegalArgumentException.class, () -> new PlaneFolding.Config(new int[] {2, 0}, 10, 0.01, 0));
    }
}
