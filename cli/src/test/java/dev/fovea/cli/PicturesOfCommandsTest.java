package dev.fovea.cli;

import dev.fovea.audit.report.Charts;
import dev.fovea.explain.plane.PlaneFolding;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plane-folding panels have axes in the stage's coordinates and a legend; visualize's objective is one readable panel per target. */
class PicturesOfCommandsTest {
    @Test
    void ticksAreRoundAndInsideTheRange() {
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, PlanePictures.ticks(-2.3, 2.4, 5), 1e-12);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, PlanePictures.ticks(-0.05, 1.05, 5), 1e-12);
        assertArrayEquals(new double[] {-15, -10, -5, 0, 5}, PlanePictures.ticks(-16.2, 7.1, 5), 1e-12);
        double[] tiny = PlanePictures.ticks(-6e-4, 6e-4, 5);
        assertTrue(tiny.length >= 3, "a collapsed unit still gets ticks: " + tiny.length);
        assertNotEquals(PlanePictures.label(tiny[0], tiny), PlanePictures.label(tiny[1], tiny), "neighbouring labels read apart");
        assertEquals("0.0", PlanePictures.label(-1e-17, new double[] {0, 0.5}), "no minus zero");
        assertEquals("0.5", PlanePictures.label(0.5, new double[] {0, 0.5}));
        assertEquals("-10", PlanePictures.label(-10, new double[] {-10, -5}));
    }

    @Test
    void axesAreNamedByWhatTheStageHolds() {
        List<String> classes = List.of("0", "1");
        assertArrayEquals(new String[] {"x1", "x2"}, PlanePictures.axes("input", classes));
        assertArrayEquals(new String[] {"relu 2, unit 1", "relu 2, unit 2"}, PlanePictures.axes("relu 2", classes));
        assertArrayEquals(new String[] {"logit 0", "logit 1"}, PlanePictures.axes("logits", classes));
    }

    @Test
    void aPanelLeavesRoomForItsAxesAndLegend() {
        PlaneFolding.Stage s = new PlaneFolding.Stage("input", new double[] {-1, 1, -1, 1}, 2, 2,
                new float[] {-1, -1, -1, 1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1, 1, 1}, new float[] {0, 0, 0.5f, 0.5f}, 2, new float[] {0, 0, 1, 1});
        BufferedImage p = PlanePictures.panel(s, new int[] {0, 1}, List.of("0", "1"), "0. input");
        assertEquals(PlanePictures.LEFT + PlanePictures.SIZE + PlanePictures.RIGHT, p.getWidth());
        assertEquals(PlanePictures.TOP + PlanePictures.SIZE + PlanePictures.BOTTOM, p.getHeight());
        boolean inked = false;
        for (int x = 0; x < PlanePictures.LEFT - 8; x++) {
            for (int y = PlanePictures.TOP; y < PlanePictures.TOP + PlanePictures.SIZE; y++) {
                inked |= (p.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(inked, "the y axis's ticks and name are drawn left of the plot");
    }

    @Test
    void theObjectiveIsOnePanelPerTargetWithEachStartPaleAndTheirMeanSmoothed() {
        int steps = 40;
        int starts = 2;
        double[][] history = new double[steps][3 * starts];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < history[s].length; i++) {
                history[s][i] = (i / starts) * 10 + s + (s % 2 == 0 ? 1 : -1) * (i % starts + 1);
            }
        }
        List<Charts.Panel> panels = ExplainVisualizeCommand.objectivePanels(history, List.of("a", "b", "c"), starts);
        assertEquals(List.of("a", "b", "c"), panels.stream().map(Charts.Panel::title).toList());
        int window = ExplainVisualizeCommand.smoothingWindow(steps);
        assertEquals(3, window);
        for (int t = 0; t < 3; t++) {
            Charts.Panel p = panels.get(t);
            assertFalse(p.legend());
            assertEquals(List.of(Charts.Style.FAINT, Charts.Style.FAINT, Charts.Style.LINE), p.series().stream().map(Charts.Series::style).toList());
            assertEquals(history[5][t * starts + 1], p.series().get(1).y()[5], "start 2 of target " + t + " as optimised");
            double[] mean = new double[steps];
            for (int s = 0; s < steps; s++) {
                mean[s] = (history[s][t * starts] + history[s][t * starts + 1]) / 2;
            }
            assertArrayEquals(Charts.movingMean(mean, window), p.series().get(2).y(), 1e-12);
            assertTrue(Double.isNaN(p.yMin()) && Double.isNaN(p.yMax()), "each panel fits its own objective");
        }
        assertEquals(1, ExplainVisualizeCommand.smoothingWindow(10));
        assertEquals(7, ExplainVisualizeCommand.smoothingWindow(128));
    }
}
