package dev.fovea.audit.report;

import dev.fovea.image.Images;
import dev.fovea.tensor.Tensor;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The pictures commands write: line charts (XChart) and labelled image grids. */
public final class Pictures {
    private Pictures() {
    }

    /** A line chart of {@code y} against {@code x}, one series per entry, written as PNG. */
    public static void lineChart(Path file, String title, String xLabel, String yLabel, List<String> names, List<double[]> xs, List<double[]> ys)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(460).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xDDDDDD));
        chart.getStyler().setLegendVisible(names.size() > 1);
        for (int i = 0; i < names.size(); i++) {
            chart.addSeries(names.get(i), xs.get(i), ys.get(i)).setMarker(SeriesMarkers.CIRCLE);
        }
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        write(file, img);
    }

    /**
     * A grid of images with a caption under each: rows of {@code [C,H,W]} tensors in [0,1] (1 or 3 channels),
     * scaled up by {@code scale} without smoothing so pixels stay visible.
     */
    public static void grid(Path file, List<List<Tensor>> rows, List<List<String>> captions, int scale) throws IOException {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        if (cols == 0) {
            return;
        }
        Tensor first = rows.get(0).get(0);
        int h = first.dim(1) * scale;
        int w = first.dim(2) * scale;
        int capH = 34;
        int pad = 8;
        int cellW = Math.max(w, 150);
        BufferedImage img = new BufferedImage(pad + cols * (cellW + pad), pad + rows.size() * (h + capH + pad), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                int x0 = pad + c * (cellW + pad) + (cellW - w) / 2;
                int y0 = pad + r * (h + capH + pad);
                g.drawImage(toImage(rows.get(r).get(c), scale), x0, y0, null);
                g.setColor(Color.DARK_GRAY);
                String[] lines = captions.get(r).get(c).split("\n");
                for (int l = 0; l < lines.length && l < 2; l++) {
                    g.drawString(lines[l], pad + c * (cellW + pad), y0 + h + 14 + 13 * l);
                }
            }
        }
        g.dispose();
        write(file, img);
    }

    private static BufferedImage toImage(Tensor chw, int scale) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        float[] d = chw.data();
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int p = (y / scale) * w + x / scale;
                int r = level(d[p]);
                int gr = c == 3 ? level(d[h * w + p]) : r;
                int b = c == 3 ? level(d[2 * h * w + p]) : r;
                img.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return img;
    }

    private static int level(float v) {
        return Math.round(255 * Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v)));
    }

    private static void write(Path file, BufferedImage img) throws IOException {
        Images.writePng(file, img);
    }
}
