package dev.fovea.audit.report;

import dev.fovea.image.ColorMap;
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
import java.util.Locale;

/**
 * The pictures commands write: line charts (XChart), image grids ({@link Grid}: a title, a note, column headers,
 * captions under each image and a colour bar per row of heat maps, {@link ColourBar}), image tables and tiles.
 */
public final class Pictures {
    private Pictures() {
    }

    /** A line chart of {@code y} against {@code x}, one series per entry, written as PNG. */
    public static void lineChart(Path file, String title, String xLabel, String yLabel, List<String> names, List<double[]> xs, List<double[]> ys)
            throws IOException {
        lineChart(file, title, xLabel, yLabel, names, xs, ys, Double.NaN, Double.NaN);
    }

    /**
     * As {@link #lineChart(Path, String, String, String, List, List, List)} with the y axis from {@code yMin} to
     * {@code yMax} ({@code NaN}: fitted to the data), so that charts of one report share a scale.
     */
    public static void lineChart(Path file, String title, String xLabel, String yLabel, List<String> names, List<double[]> xs, List<double[]> ys,
                                 double yMin, double yMax) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(460).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xDDDDDD));
        chart.getStyler().setLegendVisible(names.size() > 1);
        if (!Double.isNaN(yMin)) {
            chart.getStyler().setYAxisMin(yMin);
        }
        if (!Double.isNaN(yMax)) {
            chart.getStyler().setYAxisMax(yMax);
        }
        for (int i = 0; i < names.size(); i++) {
            // a marker on each point of a short series, none on a dense curve (a distribution of 101 points)
            chart.addSeries(names.get(i), xs.get(i), ys.get(i)).setMarker(xs.get(i).length > 24 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        Charts.roundTicks(chart);
        BufferedImage img = BitmapEncoder.getBufferedImage(chart);
        write(file, img);
    }

    /**
     * A grid of images with a caption under each: rows of {@code [C,H,W]} tensors in [0,1] (1 or 3 channels),
     * scaled up by {@code scale} without smoothing so pixels stay visible; no title, headers or colour bars.
     */
    public static void grid(Path file, List<List<Tensor>> rows, List<List<String>> captions, int scale) throws IOException {
        grid(file, new Grid(null, null, null, rows, captions, null, scale));
    }

    /**
     * The scale a row of heat maps was drawn at: the colour map from {@code min} (the bar's bottom) to {@code max}
     * (its top), as {@link dev.fovea.image.Heatmaps} colours them.
     */
    public record ColourBar(ColorMap map, double min, double max) {
        public ColourBar {
            if (map == null || !(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException("colour bar: expected a colour map and finite min < max, got " + map + ", " + min + ", " + max);
            }
        }

        /**
         * The bar of a map drawn at {@code scale}: {@link ColorMap#RDBU} from {@code -scale} to {@code +scale} when
         * {@code signed}, {@link ColorMap#VIRIDIS} from 0 to {@code scale} otherwise (a scale of 0, an all-zero map,
         * gets the smallest positive range so that the bar still reads 0).
         */
        public static ColourBar of(boolean signed, double scale) {
            double s = scale > 0 ? scale : Double.MIN_NORMAL;
            return signed ? new ColourBar(ColorMap.RDBU, -s, s) : new ColourBar(ColorMap.VIRIDIS, 0, s);
        }

        /** The tick labels from top to bottom: max, 0 when the bar spans it, min (three significant digits). */
        public List<String> ticks() {
            List<String> t = new java.util.ArrayList<>();
            t.add(number(max));
            if (min < 0 && max > 0) {
                t.add("0");
            }
            t.add(number(min));
            return t;
        }

        /** The bar as a {@code width x height} strip: the colour of {@code max} on the top row, of {@code min} on the bottom one. */
        public BufferedImage strip(int width, int height) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                int c = map.packed(height == 1 ? 1 : 1 - (double) y / (height - 1));
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, c);
                }
            }
            return img;
        }

        private static String number(double v) {
            if (v == 0 || Math.abs(v) < 1e-300) {
                return "0";
            }
            return String.format(Locale.ROOT, Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? "%.3g" : "%.2e", v);
        }
    }

    /**
     * A grid of images: a {@code title} and a {@code note} line over it, a header over each column, and per row its
     * images ({@code [C,H,W]} in [0,1], 1 or 3 channels, all of one size) with a caption of up to three lines under
     * each, and at the row's end its colour bar. {@code title}, {@code note}, {@code headers} and {@code bars} may
     * be {@code null} (not drawn), and so may one row's bar.
     */
    public record Grid(String title, String note, List<String> headers, List<List<Tensor>> images, List<List<String>> captions,
                       List<ColourBar> bars, int scale) {
        public Grid {
            if (images == null || captions == null || captions.size() != images.size() || (bars != null && bars.size() != images.size())) {
                throw new IllegalArgumentException("grid: expected as many caption rows (and bars) as image rows, got " + (images == null ? 0 : images.size())
                        + " rows, " + (captions == null ? 0 : captions.size()) + " caption rows, " + (bars == null ? "no" : bars.size()) + " bars");
            }
            if (scale < 1) {
                throw new IllegalArgumentException("grid: expected a scale of at least 1, got " + scale);
            }
        }

        /** The caption of row {@code r}, column {@code c}. */
        public String caption(int r, int c) {
            return captions.get(r).get(c);
        }
    }

    /** Writes {@code grid} as PNG; nothing when it has no image. */
    public static void grid(Path file, Grid grid) throws IOException {
        BufferedImage img = render(grid);
        if (img != null) {
            write(file, img);
        }
    }

    /** {@code grid} drawn, or {@code null} when it has no image. */
    public static BufferedImage render(Grid grid) {
        List<List<Tensor>> rows = grid.images();
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        if (cols == 0) {
            return null;
        }
        int scale = grid.scale();
        Tensor first = rows.get(0).get(0);
        int h = first.dim(1) * scale;
        int w = first.dim(2) * scale;
        int lines = grid.captions().stream().flatMap(List::stream).mapToInt(c -> c.split("\n").length).max().orElse(1) > 2 ? 3 : 2;
        int capH = 34 + 13 * (lines - 2);
        int pad = 8;
        int cellW = Math.max(w, 150);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font bold = plain.deriveFont(Font.BOLD);
        boolean anyBar = grid.bars() != null && grid.bars().stream().anyMatch(java.util.Objects::nonNull);
        int barW = anyBar ? 72 : 0;
        int width = pad + cols * (cellW + pad) + barW;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        java.awt.FontMetrics fm = pg.getFontMetrics(plain);
        java.awt.FontMetrics bm = pg.getFontMetrics(bold.deriveFont(12f));
        pg.dispose();
        if (grid.title() != null) {
            width = Math.max(width, 2 * pad + bm.stringWidth(grid.title()));
        }
        List<String> note = grid.note() == null ? List.of() : wrap(grid.note(), fm, width - 2 * pad);
        int top = pad + (grid.title() == null ? 0 : 18) + 15 * note.size() + (grid.headers() == null ? 0 : 17);
        BufferedImage img = new BufferedImage(width, top + rows.size() * (h + capH + pad), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int y = pad;
        if (grid.title() != null) {
            g.setFont(bold.deriveFont(12f));
            g.setColor(Color.BLACK);
            g.drawString(grid.title(), pad, y + 12);
            y += 18;
        }
        g.setFont(plain);
        g.setColor(Color.DARK_GRAY);
        for (String line : note) {
            g.drawString(line, pad, y + 11);
            y += 15;
        }
        java.awt.FontMetrics hm = g.getFontMetrics(bold);
        if (grid.headers() != null) {
            g.setFont(bold);
            g.setColor(Color.BLACK);
            for (int c = 0; c < cols && c < grid.headers().size(); c++) {
                String t = fit(grid.headers().get(c), hm, cellW);
                g.drawString(t, pad + c * (cellW + pad) + (cellW - hm.stringWidth(t)) / 2, y + 12);
            }
            if (anyBar) {
                g.drawString("scale", pad + cols * (cellW + pad), y + 12);
            }
        }
        g.setFont(plain);
        for (int r = 0; r < rows.size(); r++) {
            int y0 = top + r * (h + capH + pad);
            for (int c = 0; c < rows.get(r).size(); c++) {
                int x0 = pad + c * (cellW + pad) + (cellW - w) / 2;
                g.drawImage(toImage(rows.get(r).get(c), scale), x0, y0, null);
                g.setColor(Color.DARK_GRAY);
                String[] ls = grid.caption(r, c).split("\n");
                for (int l = 0; l < ls.length && l < lines; l++) {
                    g.drawString(grid.headers() == null ? ls[l] : fit(ls[l], fm, cellW + pad), pad + c * (cellW + pad), y0 + h + 14 + 13 * l);
                }
            }
            ColourBar bar = grid.bars() == null ? null : grid.bars().get(r);
            if (bar != null) {
                int bx = pad + cols * (cellW + pad);
                g.drawImage(bar.strip(12, h), bx, y0, null);
                g.setColor(Color.GRAY);
                g.drawRect(bx - 1, y0 - 1, 13, h + 1);
                g.setColor(Color.DARK_GRAY);
                List<String> ticks = bar.ticks();
                for (int t = 0; t < ticks.size(); t++) {
                    int ty = ticks.size() == 1 ? y0 + h / 2 : y0 + (int) Math.round((double) t * (h - 1) / (ticks.size() - 1));
                    g.drawLine(bx + 12, ty, bx + 15, ty);
                    g.drawString(ticks.get(t), bx + 18, Math.max(y0 + 9, Math.min(y0 + h, ty + 4)));
                }
            }
        }
        g.dispose();
        return img;
    }

    /**
     * A table of images under a {@code title} line: a header row of {@code columnLabels}, and per row its label on the left, then one image per
     * column ({@code [C,H,W]} in [0,1], all of one size; {@code null} leaves the cell empty) scaled up by
     * {@code scale} without smoothing, framed and captioned (up to two lines, cut to the cell's width) in the
     * cell's colour ({@code null}: dark grey, no frame).
     */
    public static void table(Path file, String title, List<String> rowLabels, List<String> columnLabels, List<List<Tensor>> images, List<List<String>> captions,
                             List<List<Color>> colours, int scale) throws IOException {
        Tensor first = images.stream().flatMap(List::stream).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (first == null) {
            return;
        }
        int h = first.dim(1) * scale;
        int w = first.dim(2) * scale;
        int pad = 8;
        int frame = 3;
        int capH = 32;
        int titleH = 24;
        int headH = 22;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font bold = font.deriveFont(Font.BOLD);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        java.awt.FontMetrics fm = pg.getFontMetrics(font);
        java.awt.FontMetrics bm = pg.getFontMetrics(bold);
        int labelW = rowLabels.stream().mapToInt(bm::stringWidth).max().orElse(0) + pad;
        pg.dispose();
        int cellW = Math.max(w + 2 * frame, 128);
        int rowH = h + 2 * frame + capH + pad;
        int cols = columnLabels.size();
        BufferedImage img = new BufferedImage(Math.max(pad + labelW + cols * (cellW + pad), 2 * pad + bm.stringWidth(title)),
                pad + titleH + headH + rowLabels.size() * rowH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(bold);
        g.setColor(Color.BLACK);
        g.drawString(title, pad, pad + 14);
        for (int c = 0; c < cols; c++) {
            String t = fit(columnLabels.get(c), bm, cellW);
            g.drawString(t, pad + labelW + c * (cellW + pad) + (cellW - bm.stringWidth(t)) / 2, pad + titleH + 14);
        }
        for (int r = 0; r < rowLabels.size(); r++) {
            int y0 = pad + titleH + headH + r * rowH;
            g.setFont(bold);
            g.setColor(Color.BLACK);
            g.drawString(rowLabels.get(r), pad, y0 + frame + h / 2 + 5);
            g.setFont(font);
            for (int c = 0; c < cols && c < images.get(r).size(); c++) {
                Tensor t = images.get(r).get(c);
                if (t == null) {
                    continue;
                }
                int cx = pad + labelW + c * (cellW + pad);
                int x0 = cx + (cellW - w) / 2;
                Color colour = colours.get(r).get(c);
                if (colour != null) {
                    g.setColor(colour);
                    g.fillRect(x0 - frame, y0, w + 2 * frame, h + 2 * frame);
                }
                g.drawImage(toImage(t, scale), x0, y0 + frame, null);
                g.setColor(colour != null ? colour : Color.DARK_GRAY);
                String[] lines = captions.get(r).get(c).split("\n");
                for (int l = 0; l < lines.length && l < 2; l++) {
                    String s = fit(lines[l], fm, cellW);
                    g.drawString(s, cx + (cellW - fm.stringWidth(s)) / 2, y0 + h + 2 * frame + 13 + 14 * l);
                }
            }
        }
        g.dispose();
        write(file, img);
    }

    /** {@code text} broken into lines of at most {@code width} pixels at spaces (a longer word gets a line of its own). */
    static List<String> wrap(String text, java.awt.FontMetrics fm, int width) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && fm.stringWidth(next) > width) {
                out.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }

    /** {@code s}, cut with an ellipsis to at most {@code width} pixels. */
    private static String fit(String s, java.awt.FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (!t.isEmpty() && fm.stringWidth(t + "\u2026") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "\u2026";
    }

    /** {@code [C,H,W]} rescaled to fill [0,1] (min to 0, max to 1), for showing weights and activations. */
    public static Tensor stretched(Tensor chw) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : chw.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] out = new float[chw.size()];
        float span = hi - lo;
        for (int i = 0; i < out.length; i++) {
            out[i] = span > 0 ? (chw.data()[i] - lo) / span : 0f;
        }
        return new Tensor(chw.shape(), out);
    }

    /**
     * Tiles of {@code [C,H,W]} tensors in [0,1] (1 or 3 channels), {@code perRow} to a row, scaled up {@code scale}
     * times without smoothing, each with a short caption under it.
     */
    public static void tiles(Path file, java.util.List<Tensor> items, java.util.List<String> captions, int perRow, int scale, String title)
            throws IOException {
        int h = items.get(0).dim(1) * scale;
        int w = items.get(0).dim(2) * scale;
        int pad = 6;
        int cap = 14;
        int top = title == null ? 0 : 22;
        int cols = Math.min(perRow, items.size());
        int rowsN = (items.size() + perRow - 1) / perRow;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(Math.max(pad + cols * (w + pad), 240),
                top + pad + rowsN * (h + cap + pad), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.DARK_GRAY);
        if (title != null) {
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 12));
            g.drawString(title, pad, 16);
        }
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        for (int i = 0; i < items.size(); i++) {
            Tensor t = items.get(i);
            int x0 = pad + (i % perRow) * (w + pad);
            int y0 = top + pad + (i / perRow) * (h + cap + pad);
            int c = t.dim(0);
            int th = t.dim(1);
            int tw = t.dim(2);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = (y / scale) * tw + x / scale;
                    int r = level(t.data()[p]);
                    int gr = c == 3 ? level(t.data()[th * tw + p]) : r;
                    int b = c == 3 ? level(t.data()[2 * th * tw + p]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (gr << 8) | b);
                }
            }
            g.setColor(java.awt.Color.DARK_GRAY);
            g.drawString(captions.get(i), x0, y0 + h + 11);
        }
        g.dispose();
        Images.writePng(file, img);
    }

    /**
     * The tiles of a convolution's weights {@code [O,C,k,k]}: three-channel filters as colour images, each stretched
     * to [0,1]; others summed over their channels in the diverging RdBu map on one scale for all (the largest
     * |weight| times C), so that their strengths compare.
     */
    public static List<Tensor> filters(Tensor w) {
        int o = w.dim(0);
        int c = w.dim(1);
        int k = w.dim(2);
        int per = c * k * k;
        float max = 0;
        for (float v : w.data()) {
            max = Math.max(max, Math.abs(v));
        }
        List<Tensor> tiles = new java.util.ArrayList<>();
        for (int f = 0; f < o; f++) {
            Tensor wf = new Tensor(dev.fovea.tensor.Shape.of(c, k, k), java.util.Arrays.copyOfRange(w.data(), f * per, (f + 1) * per));
            if (c == 3) {
                tiles.add(stretched(wf));
                continue;
            }
            float[] rgb = new float[3 * k * k];
            for (int p = 0; p < k * k; p++) {
                double v = 0;
                for (int ch = 0; ch < c; ch++) {
                    v += wf.data()[ch * k * k + p];
                }
                float[] col = dev.fovea.image.ColorMap.RDBU.rgb(0.5 + 0.5 * v / (c * max + 1e-12));
                rgb[p] = col[0];
                rgb[k * k + p] = col[1];
                rgb[2 * k * k + p] = col[2];
            }
            tiles.add(new Tensor(dev.fovea.tensor.Shape.of(3, k, k), rgb));
        }
        return tiles;
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
