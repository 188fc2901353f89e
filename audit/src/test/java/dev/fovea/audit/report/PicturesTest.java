package dev.fovea.audit.report;

import dev.fovea.audit.Fixture;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.attacks.Norm;
import dev.fovea.data.Dataset;
import dev.fovea.image.ColorMap;
import dev.fovea.image.Heatmaps;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pictures say what they show: colour bars at the scale drawn, headers and labels, the norm, one grid per budget, 0 to 1 axes. */
class PicturesTest {
    @TempDir
    Path dir;

    @Test
    void aSignedBarRunsFromMinusToPlusTheScaleWithItsEndsInTheMapsEndColours() {
        Pictures.ColourBar bar = Pictures.ColourBar.of(true, 0.25);
        assertEquals(ColorMap.RDBU, bar.map());
        assertEquals(-0.25, bar.min());
        assertEquals(0.25, bar.max());
        assertEquals(List.of("0.250", "0", "-0.250"), bar.ticks());
        BufferedImage strip = bar.strip(4, 50);
        assertEquals(ColorMap.RDBU.packed(1), strip.getRGB(0, 0) & 0xFFFFFF, "top: +scale");
        assertEquals(ColorMap.RDBU.packed(0), strip.getRGB(3, 49) & 0xFFFFFF, "bottom: -scale");
    }

    @Test
    void anUnsignedBarRunsFromZeroToTheScale() {
        Pictures.ColourBar bar = Pictures.ColourBar.of(false, 1234.5);
        assertEquals(ColorMap.VIRIDIS, bar.map());
        assertEquals(0, bar.min());
        assertEquals(List.of("1.23e+03", "0"), bar.ticks());
        assertEquals(ColorMap.VIRIDIS.packed(0), bar.strip(1, 10).getRGB(0, 9) & 0xFFFFFF);
        assertEquals(List.of("0", "0"), Pictures.ColourBar.of(false, 0).ticks(), "an all-zero map reads 0");
        assertThrows(IllegalArgumentException.class, () -> new Pictures.ColourBar(ColorMap.RDBU, 1, 1));
    }

    @Test
    void headersANoteAndBarsMakeRoomAndTheNoteWrapsToTheGrid() {
        Tensor img = Tensor.zeros(1, 8, 8);
        List<List<Tensor>> rows = List.of(List.of(img, img));
        List<List<String>> caps = List.of(List.of("a\nb\nc", "d"));
        BufferedImage plain = Pictures.render(new Pictures.Grid(null, null, null, rows, caps, null, 2));
        String note = "a note long enough to need more than one line in a grid of two narrow columns, so that it wraps";
        BufferedImage full = Pictures.render(new Pictures.Grid("title", note, List.of("x", "y"), rows, caps,
                List.of(Pictures.ColourBar.of(true, 1)), 2));
        assertTrue(full.getHeight() >= plain.getHeight() + 18 + 2 * 15 + 17, full.getHeight() + " vs " + plain.getHeight());
        assertEquals(plain.getWidth() + 72, full.getWidth(), "the note wraps instead of widening the grid; the bar adds its column");
        assertThrows(IllegalArgumentException.class, () -> new Pictures.Grid(null, null, null, rows, List.of(), null, 1));
    }

    @Test
    void movingMeanAveragesTheWindowAroundEachPoint() {
        assertArrayEquals(new double[] {1.5, 2, 3, 4, 4.5}, Charts.movingMean(new double[] {1, 2, 3, 4, 5}, 3), 1e-12);
        assertArrayEquals(new double[] {1, 5}, Charts.movingMean(new double[] {1, 5}, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Charts.movingMean(new double[] {1}, 2));
    }

    @Test
    void aCurveStartsAtTheCleanPointUnlessItHasOne() {
        Charts.Series s = new Charts.Series("a", new double[] {0.1, 0.2}, new double[] {0.5, 0.2}, false).startingAt(0.9);
        assertArrayEquals(new double[] {0, 0.1, 0.2}, s.x());
        assertArrayEquals(new double[] {0.9, 0.5, 0.2}, s.y());
        assertArrayEquals(new double[] {0, 0.1}, new Charts.Series("b", new double[] {0, 0.1}, new double[] {1, 0}, false).startingAt(0.5).x());
    }

    @Test
    void theLegendGoesWhereTheLinesAreNot() {
        Charts.Series falling = new Charts.Series("f", new double[] {0, 1}, new double[] {0.9, 0.1}, false);
        Charts.Series rising = new Charts.Series("r", new double[] {0, 1}, new double[] {0.1, 0.9}, false);
        assertFalse(Charts.endsHigh(Charts.Panel.accuracy("t", "x", "y", List.of(falling))), "a falling curve leaves the top right free");
        assertTrue(Charts.endsHigh(Charts.Panel.accuracy("t", "x", "y", List.of(rising))), "a distribution function leaves the bottom right free");
    }

    @Test
    void everyPositiveBudgetGetsAGridOfItsOwn() throws IOException {
        AttackSection s = new AttackSection(AttackRun.of("fgsm", 0, 0.05, 0.1).run(Fixture.lenet5(), Fixture.fashion(3)), "lenet5.fovea");
        assertEquals(List.of("grid_eps0.05.png", "grid_eps0.1.png"), s.gridFiles());
        assertEquals("grid_eps0.1.png", s.gridFile(), "the grid the audit shows is one of them");
        List<String> files = s.writeTablesAndPictures(dir);
        assertTrue(files.containsAll(s.gridFiles()), files.toString());
        assertFalse(files.contains("grid_eps0.0.png"), "no grid at eps 0");
        for (String g : s.gridFiles()) {
            assertTrue(Files.size(dir.resolve(g)) > 1000, g);
        }
    }

    @Test
    void theAttackGridHasHeadersLabelsAndThePerturbationInTheAttacksNorm() {
        Dataset d = Fixture.fashion(4);
        AttackRun.Result r = AttackRun.of("fgm", 0.5).withNorm(Norm.L2).run(Fixture.lenet5(), d);
        AttackSection s = new AttackSection(r, "lenet5.fovea");
        Pictures.Grid g = s.grid(r.budgets().get(0));
        assertEquals(List.of("clean", "perturbation (L2)", "adversarial"), g.headers());
        assertEquals(4, g.images().size());
        for (int i = 0; i < 4; i++) {
            String label = r.classNames().get(r.labels()[i]);
            assertTrue(g.caption(i, 0).startsWith(r.classNames().get(r.cleanPrediction()[i]) + " "), g.caption(i, 0));
            assertTrue(g.caption(i, 0).contains("label " + label), g.caption(i, 0));
            String p = g.caption(i, 1);
            assertTrue(p.contains(String.format(java.util.Locale.ROOT, "L2 %.3f", r.budgets().get(0).result().l2()[i])), p);
            assertFalse(p.contains("Linf") || p.contains("L-inf"), p);
            assertTrue(p.startsWith("amplified x"), p);
            assertTrue(g.caption(i, 2).startsWith(r.classNames().get(r.budgets().get(0).result().adversarialPrediction()[i]) + " "), g.caption(i, 2));
        }
        assertTrue(g.title().contains("L2") && g.title().contains("eps 0.5"), g.title());
    }

    @Test
    void theRobustnessChartRunsFrom0To1FromTheCleanPointAndDrawsTheDiagnosticsAttacks() {
        Dataset d = Fixture.fashion(4);
        AttackRun.Result r = AttackRun.of("pgd", 0.05, 0.1).withSteps(3).run(Fixture.lenet5(), d);
        DiagnosticsRun.Result diag = new DiagnosticsRun(Norm.LINF, List.of(0.05, 0.1), 0, 20).run(Fixture.lenet5(), d.images(), d.labels(),
                dev.fovea.audit.ProgressListener.NONE);
        Charts.Panel p = new AttackSection(r, "lenet5.fovea", diag).robustnessPanel();
        assertEquals(0.0, p.yMin());
        assertEquals(1.0, p.yMax());
        Charts.Series own = p.series().get(0);
        assertEquals("pgd", own.name());
        assertArrayEquals(new double[] {0, 0.05, 0.1}, own.x());
        assertEquals(r.cleanAccuracy(), own.y()[0], "eps 0 is the clean accuracy, though the budgets do not list it");
        List<String> names = p.series().stream().map(Charts.Series::name).toList();
        assertEquals(List.of("pgd", "pgd (diagnostics)", "fgsm (diagnostics)", "square (diagnostics)"), names);
        for (Charts.Series s : p.series()) {
            for (double y : s.y()) {
                assertTrue(y >= 0 && y <= 1, s.name() + ": a fraction, got " + y);
            }
        }
        assertEquals(Charts.Style.POINTS, p.series().get(3).style(), "the black box ran at one budget");
        assertEquals(1, p.series().get(3).x().length);
        assertEquals(1, new AttackSection(r, "lenet5.fovea").robustnessPanel().series().size(), "no diagnostics, one curve");
    }

    @Test
    void theMinimalPerturbationChartIsAFractionOnA0To1Axis() {
        AttackSection s = new AttackSection(AttackRun.of("deepfool", 0.05).run(Fixture.lenet5(), Fixture.fashion(5)), "lenet5.fovea");
        Charts.Panel p = s.minimalPanel();
        assertNotNull(p);
        assertEquals(1.0, p.yMax());
        double[] y = p.series().get(0).y();
        assertEquals(s.minimal().successRate(), y[y.length - 1], 1e-12, "the curve ends at the fraction found");
        assertNull(new AttackSection(AttackRun.of("fgsm", 0.05).run(Fixture.lenet5(), Fixture.fashion(2)), "m").minimalPanel());
    }

    @Test
    void eachHeatMapRowCarriesTheBarOfTheScaleItWasDrawnAt() {
        ExplainRun.Result r = ExplainRun.of("gradient-x-input").run(Fixture.lenet5(), Fixture.fashion(3));
        ExplainSection s = new ExplainSection(r);
        Pictures.Grid g = s.grid();
        assertEquals(List.of("image", "attribution", "overlay"), g.headers());
        assertTrue(g.note().contains("each row has its own"), g.note());
        List<Tensor> maps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Tensor map = r.attribution().maps().slice(i, i + 1);
            maps.add(map.reshape(map.shape().tail()));
            Pictures.ColourBar bar = g.bars().get(i);
            double scale = Heatmaps.scale(maps.get(i));
            assertEquals(scale, bar.max(), "row " + i + ": the bar ends at the row's scale");
            assertEquals(-scale, bar.min(), "row " + i + ": signed, from -scale");
            assertEquals(ColorMap.RDBU, bar.map());
            assertDrawnAtTheBarsScale(maps.get(i), g.images().get(i).get(1), bar);
            assertTrue(g.caption(i, 0).contains("label " + r.classNames().get(r.labels()[i])), g.caption(i, 0));
        }
        Pictures.Grid shared = s.grid(ExplainSection.Scale.SHARED);
        assertTrue(shared.note().contains("all rows share one"), shared.note());
        double one = Heatmaps.scale(maps);
        for (int i = 0; i < 3; i++) {
            assertEquals(one, shared.bars().get(i).max(), "row " + i + ": the shared scale");
            assertDrawnAtTheBarsScale(maps.get(i), shared.images().get(i).get(1), shared.bars().get(i));
        }
    }

    @Test
    void aMapBeforeAndAfterAPerturbationShareOneScale() {
        var plan = new dev.fovea.audit.run.ExplainRobustnessRun(List.of(dev.fovea.explain.Explainers.named("saliency")),
                List.of(dev.fovea.explain.ExplainConfig.of(dev.fovea.explain.AttributionOptions.NONE)),
                dev.fovea.audit.run.ExplainRobustnessRun.Perturbation.attack("pgd", 0.05), 0.1, 0);
        var r = plan.run(Fixture.lenet5(), Fixture.fashion(4).images());
        Pictures.Grid g = new ExplainRobustnessSection(r).grid();
        assertEquals(List.of("image", "perturbed", "map before", "map after"), g.headers());
        int i = 0;
        while (!r.fragility().kept()[i]) {
            i++;
        }
        Tensor before = r.fragility().original()[0].slice(i, i + 1);
        Tensor after = r.fragility().perturbed()[0].slice(i, i + 1);
        before = before.reshape(before.shape().tail());
        after = after.reshape(after.shape().tail());
        double v = Heatmaps.scale(List.of(before, after));
        assertArrayEquals(Heatmaps.colour(before, false, v).data(), g.images().get(0).get(2).data(), "before at the pair's scale");
        assertArrayEquals(Heatmaps.colour(after, false, v).data(), g.images().get(0).get(3).data(), "after at the same scale");
        assertTrue(g.caption(0, 2).contains(String.format(java.util.Locale.ROOT, "v %.3g", v)), g.caption(0, 2));
    }

    /**
     * The pixel of largest |value| and the one nearest half the scale (inside the range, so a map drawn at any other
     * scale would colour it otherwise) are drawn in the bar's colour at their values.
     */
    private static void assertDrawnAtTheBarsScale(Tensor map, Tensor heat, Pictures.ColourBar bar) {
        float[] plane = Heatmaps.plane(map).data();
        int hot = 0;
        int mid = 0;
        for (int j = 1; j < plane.length; j++) {
            hot = Math.abs(plane[j]) > Math.abs(plane[hot]) ? j : hot;
            mid = Math.abs(Math.abs(plane[j]) - bar.max() / 2) < Math.abs(Math.abs(plane[mid]) - bar.max() / 2) ? j : mid;
        }
        assertTrue(Math.abs(plane[mid]) > 0.1 * bar.max() && Math.abs(plane[mid]) < 0.9 * bar.max(), "a pixel inside the range: " + plane[mid]);
        int hw = plane.length;
        for (int at : new int[] {hot, mid}) {
            double t = (plane[at] - bar.min()) / (bar.max() - bar.min());
            assertArrayEquals(bar.map().rgb(t), new float[] {heat.data()[at], heat.data()[hw + at], heat.data()[2 * hw + at]}, 1e-5f, "pixel " + at);
        }
    }
}
