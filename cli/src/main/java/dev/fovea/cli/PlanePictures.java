package dev.fovea.cli;

import dev.fovea.explain.plane.PlaneFolding;
import dev.fovea.image.ColorMap;
import dev.fovea.image.Images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures of the plane-folding view: per stage, the decision regions (blue for class 0, orange for class 1,
 * paler where the network is less sure), the input grid's lines carried through the layers (vertical lines coloured
 * by their x position in viridis, horizontal ones grey) and the training points, framed by axes with ticks in the
 * stage's coordinates (the input's two features, a layer's two units, the two logits) and a legend for the classes.
 */
final class PlanePictures {
    static final int SIZE = 360;
    /** Margins around the plot: left for the y ticks and label, bottom for the x ticks, label and the legend. */
    static final int LEFT = 50;
    static final int RIGHT = 14;
    static final int TOP = 26;
    static final int BOTTOM = 66;
    private static final Color C0 = new Color(0x1F77B4);
    private static final Color C1 = new Color(0xFF7F0E);

    private PlanePictures() {
    }

    /** The axis names of a stage: the input's features, the logits of the two classes, or a layer's two units. */
    static String[] axes(String stage, List<String> classes) {
        return switch (stage) {
            case "input" -> new String[] {"x1", "x2"};
            case "logits" -> new String[] {"logit " + classes.get(0), "logit " + classes.get(1)};
            default -> new String[] {stage + ", unit 1", stage + ", unit 2"};
        };
    }

    /**
     * Round tick values (1, 2 or 5 times a power of ten apart) inside {@code [lo, hi]}, about {@code n} of them.
     */
    static double[] ticks(double lo, double hi, int n) {
        double span = hi - lo;
        if (!(span > 0) || !Double.isFinite(span)) {
            return new double[] {lo};
        }
        double raw = span / Math.max(1, n);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double first = Math.ceil(lo / step - 1e-9) * step;
        int count = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(0, count)];
        for (int i = 0; i < t.length; i++) {
            double v = first + i * step;
            t[i] = Math.abs(v) < step * 1e-9 ? 0 : v;
        }
        return t;
    }

    /** One stage as a panel: the {@code SIZE x SIZE} plot with a title strip, axes and the legend of {@code classes}. */
    static BufferedImage panel(PlaneFolding.Stage s, int[] labels, List<String> classes, String title) {
        int w = LEFT + SIZE + RIGHT;
        int h = TOP + SIZE + BOTTOM;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 8, 18);
        int r = s.raster();
        BufferedImage regions = new BufferedImage(r, r, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                regions.setRGB(j, i, tint(s.regions()[i * r + j]));
            }
        }
        g.drawImage(regions, LEFT, TOP, SIZE, SIZE, null);
        double[] b = s.box();
        int per = s.samples();
        java.awt.Shape clip = g.getClip();
        g.clipRect(LEFT, TOP, SIZE, SIZE);
        g.setStroke(new BasicStroke(1.1f));
        for (int l = 0; l < 2 * s.lines(); l++) {
            Path2D.Double path = new Path2D.Double();
            for (int k = 0; k < per; k++) {
                int o = 2 * (l * per + k);
                double x = LEFT + px(s.grid()[o], b[0], b[1]);
                double y = TOP + SIZE - px(s.grid()[o + 1], b[2], b[3]);
                if (k == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            if (l < s.lines()) {
                int c = ColorMap.VIRIDIS.packed(l / (double) (s.lines() - 1));
                g.setColor(new Color((c >> 16) & 255, (c >> 8) & 255, c & 255, 200));
            } else {
                g.setColor(new Color(90, 90, 90, 140));
            }
            g.draw(path);
        }
        for (int i = 0; i < labels.length; i++) {
            double x = LEFT + px(s.points()[2 * i], b[0], b[1]);
            double y = TOP + SIZE - px(s.points()[2 * i + 1], b[2], b[3]);
            dot(g, (int) Math.round(x), (int) Math.round(y), labels[i] == 0 ? C0 : C1);
        }
        g.setClip(clip);
        axes(g, b, axes(s.name(), classes));
        legend(g, classes, TOP + SIZE + 52);
        g.dispose();
        return img;
    }

    private static void dot(Graphics2D g, int x, int y, Color c) {
        g.setColor(c);
        g.fillOval(x - 3, y - 3, 6, 6);
        g.setColor(Color.WHITE);
        g.drawOval(x - 3, y - 3, 6, 6);
    }

    /** The plot's frame, ticks and tick labels in the stage's coordinates, and the axis names. */
    private static void axes(Graphics2D g, double[] b, String[] names) {
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, SIZE, SIZE);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        g.setFont(tick);
        java.awt.FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.DARK_GRAY);
        double[] xt = ticks(b[0], b[1], 5);
        for (double v : xt) {
            int x = LEFT + (int) Math.round(px(v, b[0], b[1]));
            g.drawLine(x, TOP + SIZE, x, TOP + SIZE + 4);
            String t = label(v, xt);
            g.drawString(t, x - fm.stringWidth(t) / 2, TOP + SIZE + 15);
        }
        double[] yt = ticks(b[2], b[3], 5);
        for (double v : yt) {
            int y = TOP + SIZE - (int) Math.round(px(v, b[2], b[3]));
            g.drawLine(LEFT - 4, y, LEFT, y);
            String t = label(v, yt);
            g.drawString(t, LEFT - 6 - fm.stringWidth(t), y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        fm = g.getFontMetrics();
        g.drawString(names[0], LEFT + (SIZE - fm.stringWidth(names[0])) / 2, TOP + SIZE + 31);
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(names[1], -(TOP + (SIZE + fm.stringWidth(names[1])) / 2), 12);
        g.setTransform(saved);
    }

    /** Tick value {@code v} with the decimals the spacing of {@code ticks} needs, so that neighbours read apart. */
    static String label(double v, double[] ticks) {
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
        int decimals = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(step) - 1e-9)));
        String t = String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
        return t.matches("-0(\\.0*)?") ? t.substring(1) : t;
    }

    /** The legend: the two classes' points, and the regions' tints with what they mean. */
    private static void legend(Graphics2D g, List<String> classes, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        java.awt.FontMetrics fm = g.getFontMetrics();
        int x = LEFT;
        for (int c = 0; c < 2; c++) {
            dot(g, x + 3, y - 4, c == 0 ? C0 : C1);
            g.setColor(Color.DARK_GRAY);
            String t = "class " + classes.get(c);
            g.drawString(t, x + 10, y);
            x += 10 + fm.stringWidth(t) + 14;
        }
        for (float p : new float[] {0f, 1f}) {
            g.setColor(new Color(tint(p)));
            g.fillRect(x, y - 9, 10, 10);
            g.setColor(Color.GRAY);
            g.drawRect(x, y - 9, 10, 10);
            x += 13;
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString("predicted class, white where unsure", x + 2, y);
    }

    private static double px(double v, double lo, double hi) {
        return (v - lo) / (hi - lo) * SIZE;
    }

    private static int tint(float p) {
        Color a = new Color(0xC6DBEF);
        Color c = new Color(0xFDD0A2);
        double t = Math.max(0, Math.min(1, p));
        double edge = Math.abs(t - 0.5) * 2;
        int r = (int) Math.round(((1 - t) * a.getRed() + t * c.getRed()) * edge + 255 * (1 - edge));
        int gr = (int) Math.round(((1 - t) * a.getGreen() + t * c.getGreen()) * edge + 255 * (1 - edge));
        int bl = (int) Math.round(((1 - t) * a.getBlue() + t * c.getBlue()) * edge + 255 * (1 - edge));
        return (r << 16) | (gr << 8) | bl;
    }

    /** Panels side by side, {@code perRow} to a row. */
    static BufferedImage montage(List<BufferedImage> panels, int perRow) {
        int pad = 6;
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int cols = Math.min(perRow, panels.size());
        int rows = (panels.size() + perRow - 1) / perRow;
        BufferedImage img = new BufferedImage(pad + cols * (w + pad), pad + rows * (h + pad), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), pad + (i % perRow) * (w + pad), pad + (i / perRow) * (h + pad), null);
        }
        g.dispose();
        return img;
    }

    static void write(Path file, BufferedImage img) throws IOException {
        Images.writePng(file, img);
    }
}
