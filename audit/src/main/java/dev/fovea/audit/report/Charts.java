package dev.fovea.audit.report;

import dev.fovea.image.Images;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The charts of the audit page and the commands, drawn with XChart: panels of line charts side by side in one PNG
 * (one panel per norm, so that L-inf and L2 budgets each get their own axis; or small multiples, several to a row
 * under a title), on the page's palette, with a legend inside each panel. Accuracies are fractions on a 0 to 1
 * axis in every chart.
 */
public final class Charts {
    /** The page's series colours, colour-blind safe (Okabe and Ito 2008). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    private Charts() {
    }

    /** The palette's colour {@code i} (cycling). */
    public static Color colour(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * How a series is drawn: {@code LINE} in the palette's next colour (a marker on each point of a short series,
     * none on a dense curve), {@code SUMMARY} black and dashed without markers (the worst case), {@code DASHED} in
     * its colour, dashed with markers (a second measurement of the same thing), {@code POINTS} markers only (a
     * measurement at one or a few budgets), {@code FAINT} a thin pale line without markers (raw values behind
     * their smoothed line).
     */
    public enum Style {
        LINE, SUMMARY, DASHED, POINTS, FAINT
    }

    /** One line: its legend name, points, style and colour ({@code null}: the palette's next). */
    public record Series(String name, double[] x, double[] y, Style style, Color colour) {
        public Series {
            if (x.length != y.length || style == null) {
                throw new IllegalArgumentException("charts: series " + name + ": expected as many x as y and a style, got " + x.length + " x, "
                        + y.length + " y, style " + style);
            }
        }

        /** A line in the palette's next colour, or the black dashed summary line when {@code dashed}. */
        public Series(String name, double[] x, double[] y, boolean dashed) {
            this(name, x, y, dashed ? Style.SUMMARY : Style.LINE, null);
        }

        /** A series in the palette's next colour. */
        public Series(String name, double[] x, double[] y, Style style) {
            this(name, x, y, style, null);
        }

        /**
         * This series with the point {@code (0, y0)} first, unless it has a point at x = 0 already: a robustness
         * curve starts from the clean accuracy whether or not the budgets list 0.
         */
        public Series startingAt(double y0) {
            if (java.util.Arrays.stream(x).anyMatch(e -> e == 0)) {
                return this;
            }
            double[] x1 = new double[x.length + 1];
            double[] y1 = new double[y.length + 1];
            System.arraycopy(x, 0, x1, 1, x.length);
            System.arraycopy(y, 0, y1, 1, y.length);
            y1[0] = y0;
            return new Series(name, x1, y1, style, colour);
        }
    }

    /**
     * One panel: title, axis labels, the y range ({@code yMin}, {@code yMax}; NaN: fitted to the data), its series and
     * whether it shows a legend.
     */
    public record Panel(String title, String xLabel, String yLabel, double yMin, double yMax, List<Series> series, boolean legend) {
        /** A panel whose y axis starts at 0, with a legend. */
        public Panel(String title, String xLabel, String yLabel, double yMax, List<Series> series) {
            this(title, xLabel, yLabel, 0.0, yMax, series, true);
        }

        /** An accuracy panel: y from 0 to 1, with a legend. */
        public static Panel accuracy(String title, String xLabel, String yLabel, List<Series> series) {
            return new Panel(title, xLabel, yLabel, 0.0, 1.0, series, true);
        }
    }

    /** Writes {@code panels} side by side, each {@code width} x {@code height} pixels, as one PNG. */
    public static void panels(Path file, List<Panel> panels, int width, int height) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("charts: expected at least one panel, got none");
        }
        panels(file, null, panels, panels.size(), width, height);
    }

    /**
     * Writes {@code panels}, {@code perRow} to a row, each {@code width} x {@code height} pixels, under {@code title}
     * (lines split at {@code \n}; {@code null}: none), as one PNG.
     */
    public static void panels(Path file, String title, List<Panel> panels, int perRow, int width, int height) throws IOException {
        Images.writePng(file, render(title, panels, perRow, width, height));
    }

    /** The picture of {@link #panels(Path, String, List, int, int, int)}. */
    public static BufferedImage render(String title, List<Panel> panels, int perRow, int width, int height) {
        if (panels.isEmpty() || perRow < 1) {
            throw new IllegalArgumentException("charts: expected at least one panel and one per row, got " + panels.size() + " and " + perRow);
        }
        String[] lines = title == null ? new String[0] : title.split("\n");
        int top = lines.length == 0 ? 0 : 12 + 18 * lines.length;
        int cols = Math.min(perRow, panels.size());
        int rows = (panels.size() + perRow - 1) / perRow;
        BufferedImage all = new BufferedImage(width * cols, top + height * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        for (int l = 0; l < lines.length; l++) {
            g.setColor(l == 0 ? Color.BLACK : Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, l == 0 ? Font.BOLD : Font.PLAIN, l == 0 ? 15 : 12));
            g.drawString(lines[l], 12, 22 + 18 * l);
        }
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(chart(panels.get(i), width, height)), (i % perRow) * width, top + (i / perRow) * height, null);
        }
        g.dispose();
        return all;
    }

    /**
     * Whether the panel's series end (at their last point) in the upper half of the y range on average, as a
     * distribution function does: the legend then goes to the lower right, where the lines are not.
     */
    static boolean endsHigh(Panel p) {
        double lo = Double.isNaN(p.yMin()) ? p.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).min().orElse(0) : p.yMin();
        double hi = Double.isNaN(p.yMax()) ? p.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y())).max().orElse(1) : p.yMax();
        double end = p.series().stream().filter(s -> s.y().length > 0).mapToDouble(s -> s.y()[s.y().length - 1]).average().orElse(lo);
        return end > (lo + hi) / 2;
    }

    /**
     * Round tick values on the axes of a chart with a dense series. XChart 3.8 puts the ticks of an axis on the
     * data's own values whenever those (all series' values, in order, without repeats) are equally spaced, as the
     * 101 points of a distribution function or the steps of an optimisation are: ticks then read 0.09, 0.18, ...
     * or 1, 14, 27, ... A hidden two-point series at the data's lower-left corner (not in the legend, no line, no
     * marker) breaks that spacing, and XChart chooses round ticks as for any other data.
     */
    static void roundTicks(XYChart c) {
        var all = c.getSeriesMap().values();
        if (all.stream().noneMatch(s -> s.getXData().length > 24)) {
            return;
        }
        double x0 = all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getXData())).filter(Double::isFinite).min().orElse(0);
        double x1 = all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getXData())).filter(Double::isFinite).max().orElse(1);
        double y0 = all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getYData())).filter(Double::isFinite).min().orElse(0);
        double y1 = all.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getYData())).filter(Double::isFinite).max().orElse(1);
        XYSeries hidden = c.addSeries("\u0000ticks", new double[] {x0, x0 + 1e-7 * (x1 - x0)}, new double[] {y0, y0 + 1e-7 * (y1 - y0)});
        hidden.setShowInLegend(false);
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineStyle(SeriesLines.NONE);
        hidden.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    /**
     * The centred moving mean of {@code y} over {@code window} points (an odd number; near the ends over the points
     * there are), for drawing a noisy series as a readable line.
     */
    public static double[] movingMean(double[] y, int window) {
        if (window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException("moving mean: expected an odd window of at least 1, got " + window);
        }
        int half = window / 2;
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            int lo = Math.max(0, i - half);
            int hi = Math.min(y.length - 1, i + half);
            double sum = 0;
            for (int j = lo; j <= hi; j++) {
                sum += y[j];
            }
            out[i] = sum / (hi - lo + 1);
        }
        return out;
    }

    /** The XChart chart of one panel, {@code width} x {@code height} pixels. */
    public static XYChart chart(Panel p, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(p.title()).xAxisTitle(p.xLabel()).yAxisTitle(p.yLabel()).build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridLinesColor(new Color(0xE3E3E3));
        st.setChartTitleBoxVisible(false);
        st.setLegendPosition(endsHigh(p) ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(new Color(0xCCCCCC));
        st.setSeriesColors(PALETTE);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setMarkerSize(6);
        st.setLegendVisible(p.legend());
        if (!Double.isNaN(p.yMin())) {
            st.setYAxisMin(p.yMin());
        }
        if (!Double.isNaN(p.yMax())) {
            st.setYAxisMax(p.yMax());
        }
        st.setXAxisDecimalPattern("0.###");
        for (Series s : p.series()) {
            XYSeries x = c.addSeries(s.name(), s.x(), s.y());
            // markers on the budgets of a curve, none on dense lines (a distribution function of 101 points)
            boolean dense = s.x().length > 24;
            switch (s.style()) {
                case LINE -> x.setMarker(dense ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                case SUMMARY -> {
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineStyle(SeriesLines.DASH_DASH);
                    x.setLineColor(Color.BLACK);
                }
                case DASHED -> {
                    x.setMarker(dense ? SeriesMarkers.NONE : SeriesMarkers.SQUARE);
                    x.setLineStyle(SeriesLines.DASH_DASH);
                }
                case POINTS -> {
                    x.setMarker(SeriesMarkers.DIAMOND);
                    x.setLineStyle(SeriesLines.NONE);
                    x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                }
                case FAINT -> {
                    x.setMarker(SeriesMarkers.NONE);
                    x.setLineWidth(1f);
                }
            }
            if (s.colour() != null) {
                Color col = s.style() == Style.FAINT ? new Color(s.colour().getRed(), s.colour().getGreen(), s.colour().getBlue(), 90) : s.colour();
                x.setLineColor(col);
                x.setMarkerColor(col);
            }
        }
        roundTicks(c);
        return c;
    }
}
