package dev.fovea.audit.batch;

import dev.fovea.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grid's comparison charts (XChart), from the successful cells' metrics: per attack and norm, robust accuracy
 * against eps with one line per model ({@code robust_accuracy_METHOD_NORM.png}); and the mean corruption error of
 * every corruption, one bar per model ({@code corruption_error.png}). Cells that differ only in their seed are
 * averaged; cells that differ in another axis (data, steps, ...) get lines or bars of their own, labelled with it.
 */
public final class GridCharts {
    /** A chart written: its file (relative to the batch folder) and title. */
    public record Chart(String file, String title) {
    }

    private GridCharts() {
    }

    /** Writes the charts of {@code records} into {@code dir/charts}; returns them in order. */
    public static List<Chart> write(Path dir, List<CellRecord> records) throws IOException {
        List<Chart> out = new ArrayList<>();
        boolean manyData = records.stream().map(r -> r.cell().data().name()).distinct().count() > 1;
        // attack: (method, norm) -> series label -> eps -> values
        Map<String, Map<String, TreeMap<Double, List<Double>>>> attacks = new LinkedHashMap<>();
        // augment: series label -> corruption -> values
        Map<String, Map<String, List<Double>>> corruptions = new LinkedHashMap<>();
        for (CellRecord r : records) {
            if (!r.ok()) {
                continue;
            }
            Cell c = r.cell();
            String label = label(c, manyData);
            if (c.type().equals("attack")) {
                String key = c.method() + "_" + c.plan().get("norm");
                var series = attacks.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(label, k -> new TreeMap<>());
                for (Metric m : r.metrics()) {
                    if (m.metric().equals("robust_accuracy")) {
                        series.computeIfAbsent(m.eps(), k -> new ArrayList<>()).add(m.value());
                    }
                }
            } else if (c.type().equals("augment")) {
                var series = corruptions.computeIfAbsent(label, k -> new LinkedHashMap<>());
                for (Metric m : r.metrics()) {
                    if (m.metric().equals("mean_error")) {
                        series.computeIfAbsent(m.corruption(), k -> new ArrayList<>()).add(m.value());
                    }
                }
            }
        }
        for (var a : attacks.entrySet()) {
            String[] mn = a.getKey().split("_", 2);
            String title = "robust accuracy under " + mn[0] + " (" + mn[1] + ")";
            XYChart chart = new XYChartBuilder().width(720).height(460).title(title).xAxisTitle("eps").yAxisTitle("robust accuracy").build();
            style(chart.getStyler());
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            for (var s : a.getValue().entrySet()) {
                double[] x = s.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] y = s.getValue().values().stream().mapToDouble(GridCharts::mean).toArray();
                chart.addSeries(s.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
            String file = "charts/robust_accuracy_" + safe(a.getKey()) + ".png";
            png(dir.resolve(file), BitmapEncoder.getBufferedImage(chart));
            out.add(new Chart(file, title));
        }
        if (!corruptions.isEmpty()) {
            List<String> names = new ArrayList<>();
            corruptions.values().forEach(m -> m.keySet().stream().filter(k -> !names.contains(k)).forEach(names::add));
            String title = "mean corruption error over severities";
            CategoryChart chart = new CategoryChartBuilder().width(Math.max(720, 60 * names.size() * Math.max(1, corruptions.size()) / 2 + 200))
                    .height(460).title(title).xAxisTitle("corruption").yAxisTitle("error").build();
            style(chart.getStyler());
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLabelRotation(names.size() > 6 ? 45 : 0);
            for (var s : corruptions.entrySet()) {
                List<Double> y = new ArrayList<>();
                for (String n : names) {
                    List<Double> v = s.getValue().get(n);
                    y.add(v == null ? 0.0 : mean(v));
                }
                chart.addSeries(s.getKey(), names, y);
            }
            String file = "charts/corruption_error.png";
            png(dir.resolve(file), BitmapEncoder.getBufferedImage(chart));
            out.add(new Chart(file, title));
        }
        return out;
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    }

    /** A line's label: the model, the data set when the grid has several, and every other axis but the seed. */
    private static String label(Cell c, boolean manyData) {
        StringBuilder b = new StringBuilder(c.model().name());
        if (manyData) {
            b.append(" on ").append(c.data().name());
        }
        c.axes().forEach((k, v) -> {
            if (!Grid.FIXED_AXES.contains(k) && !k.equals("method") && !k.equals("norm")) {
                b.append(", ").append(k).append(' ').append(v);
            }
        });
        return b.toString();
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String safe(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    }

    private static void png(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, os -> ImageIO.write(img, "png", os));
    }
}
