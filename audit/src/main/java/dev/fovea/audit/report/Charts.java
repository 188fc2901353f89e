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
 * The audit page's charts, drawn with XChart: panels of line charts side by side in one PNG (one panel per norm,
 * so that L-inf and L2 budgets each get their own axis), on the page's palette, with a legend inside each panel.
 */
public final class Charts {
    /** The page's series colours, colour-blind safe (Okabe and Ito 2008). */
    private static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    private Charts() {
    }

    /** One line: its legend name, points, and whether it is drawn dashed (summaries such as the worst case). */
    public record Series(String name, double[] x, double[] y, boolean dashed) {
    }

    /** One panel: title, axis labels, the y range ({@code yMax} NaN: automatic) and its series. */
    public record Panel(String title, String xLabel, String yLabel, double yMax, List<Series> series) {
    }

    /** Writes {@code panels} side by side, each {@code width} x {@code height} pixels, as one PNG. */
    public static void panels(Path file, List<Panel> panels, int width, int height) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("charts: expected at least one panel, got none");
        }
        BufferedImage all = new BufferedImage(width * panels.size(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(chart(panels.get(i), width, height)), i * width, 0, null);
        }
        g.dispose();
        Images.writePng(file, all);
    }

    private static XYChart chart(Panel p, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(p.title()).xAxisTitle(p.xLabel()).yAxisTitle(p.yLabel()).build();
        var st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setPlotGridLinesColor(new Color(0xE3E3E3));
        st.setChartTitleBoxVisible(false);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(new Color(0xCCCCCC));
        st.setSeriesColors(PALETTE);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setMarkerSize(6);
        st.setYAxisMin(0.0);
        if (!Double.isNaN(p.yMax())) {
            st.setYAxisMax(p.yMax());
        }
        st.setXAxisDecimalPattern("0.###");
        for (Series s : p.series()) {
            XYSeries x = c.addSeries(s.name(), s.x(), s.y());
            // markers on the budgets of a curve, none on dense lines (a distribution function of 101 points)
            x.setMarker(s.dashed() || s.x().length > 24 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (s.dashed()) {
                x.setLineStyle(SeriesLines.DASH_DASH);
                x.setLineColor(Color.BLACK);
            }
        }
        return c;
    }
}
