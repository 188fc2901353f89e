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
 * by their x position in viridis, horizontal ones grey) and the training points.
 */
final class PlanePictures {
    static final int SIZE = 360;
    private static final Color C0 = new Color(0x1F77B4);
    private static final Color C1 = new Color(0xFF7F0E);

    private PlanePictures() {
    }

    /** One stage as a {@code SIZE x SIZE} panel with a title strip. */
    static BufferedImage panel(PlaneFolding.Stage s, int[] labels, String title) {
        int top = 26;
        BufferedImage img = new BufferedImage(SIZE, SIZE + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SIZE, SIZE + top);
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
        g.drawImage(regions, 0, top, SIZE, SIZE, null);
        double[] b = s.box();
        int per = s.samples();
        g.setStroke(new BasicStroke(1.1f));
        for (int l = 0; l < 2 * s.lines(); l++) {
            Path2D.Double path = new Path2D.Double();
            for (int k = 0; k < per; k++) {
                int o = 2 * (l * per + k);
                double x = px(s.grid()[o], b[0], b[1]);
                double y = top + SIZE - px(s.grid()[o + 1], b[2], b[3]);
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
            double x = px(s.points()[2 * i], b[0], b[1]);
            double y = top + SIZE - px(s.points()[2 * i + 1], b[2], b[3]);
            g.setColor(labels[i] == 0 ? C0 : C1);
            g.fillOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 6, 6);
            g.setColor(Color.WHITE);
            g.drawOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 6, 6);
        }
        g.dispose();
        return img;
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
