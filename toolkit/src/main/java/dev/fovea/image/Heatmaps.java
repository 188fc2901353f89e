package dev.fovea.image;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Attribution maps as pictures: a map {@code [C,H,W]} is reduced to one plane (the sum over channels), scaled by a
 * robust maximum (the 99th percentile of {@code |value|}, so a few extreme pixels do not wash out the rest), and
 * coloured: magnitudes with the sequential {@link ColorMap#VIRIDIS} from 0 to the maximum, signed maps with the
 * diverging {@link ColorMap#RDBU} from {@code -max} (blue) through 0 (white) to {@code +max} (red). Overlays blend
 * the colours over the input in gray. Results are {@code [3,H,W]} tensors in [0,1], ready for
 * {@link Images#toImage}.
 *
 * <p>Each method takes the scale explicitly as well ({@link #colour(Tensor, boolean, double)}), so that a picture
 * can draw several maps on one scale ({@link #scale(List)}: the percentile over all of them) and show the scale
 * it used beside them; the methods without it scale each map by its own {@link #scale(Tensor)}.
 */
public final class Heatmaps {
    /** The percentile of {@code |value|} that maps to the end of the colour scale. */
    public static final double PERCENTILE = 99.0;

    private Heatmaps() {
    }

    /** One plane {@code [1,H,W]}: the sum over channels of a {@code [C,H,W]} map. */
    public static Tensor plane(Tensor map) {
        map.shape().requireRank(3, "heat map", "[C,H,W]");
        int c = map.dim(0);
        int hw = map.dim(1) * map.dim(2);
        float[] out = new float[hw];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < hw; p++) {
                out[p] += map.data()[ch * hw + p];
            }
        }
        return new Tensor(Shape.of(1, map.dim(1), map.dim(2)), out);
    }

    /** The {@link #PERCENTILE}-th percentile of {@code |v|} over the plane (0 for an all-zero map). */
    public static double scale(float[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Float.isFinite(v[i]) ? Math.abs(v[i]) : 0;
        }
        Arrays.sort(a);
        return a[(int) Math.min(a.length - 1, Math.floor(PERCENTILE / 100 * (a.length - 1) + 0.5))];
    }

    /** The scale a map {@code [C,H,W]} is drawn at on its own: {@link #scale(float[])} of its {@link #plane}. */
    public static double scale(Tensor map) {
        return scale(plane(map).data());
    }

    /**
     * The scale that draws {@code maps} (each {@code [C,H,W]}) on one scale: the {@link #PERCENTILE}-th percentile of
     * {@code |value|} over all their planes together (0 for none).
     */
    public static double scale(List<Tensor> maps) {
        int n = 0;
        List<Tensor> planes = maps.stream().map(Heatmaps::plane).toList();
        for (Tensor p : planes) {
            n += p.size();
        }
        float[] all = new float[n];
        int at = 0;
        for (Tensor p : planes) {
            System.arraycopy(p.data(), 0, all, at, p.size());
            at += p.size();
        }
        return scale(all);
    }

    /**
     * The map {@code [C,H,W]} coloured as {@code [3,H,W]}: {@link ColorMap#RDBU} over {@code [-s, s]} when
     * {@code signed}, {@link ColorMap#VIRIDIS} over {@code [0, s]} otherwise, with {@code s} = {@link #scale(Tensor)}.
     */
    public static Tensor colour(Tensor map, boolean signed) {
        return colour(map, signed, scale(map));
    }

    /**
     * The map {@code [C,H,W]} coloured as {@code [3,H,W]} at the given {@code scale} {@code s >= 0}: {@link ColorMap#RDBU}
     * over {@code [-s, s]} when {@code signed}, {@link ColorMap#VIRIDIS} over {@code [0, s]} otherwise; values beyond
     * take the end colours, and a scale of 0 draws every pixel at the colour of 0.
     */
    public static Tensor colour(Tensor map, boolean signed, double scale) {
        requireScale(scale, "heat map");
        Tensor p = plane(map);
        int h = p.dim(1);
        int w = p.dim(2);
        double s = scale;
        float[] out = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            double v = s > 0 ? p.data()[i] / s : 0;
            float[] c = signed ? ColorMap.RDBU.rgb(0.5 + 0.5 * v) : ColorMap.VIRIDIS.rgb(v);
            out[i] = c[0];
            out[h * w + i] = c[1];
            out[2 * h * w + i] = c[2];
        }
        return new Tensor(Shape.of(3, h, w), out);
    }

    /**
     * The coloured map blended over the image {@code [C,H,W]} (shown in gray, the channels' mean) with weight
     * {@code alpha} in [0,1] for the colours. The map is resized bilinearly when its size differs.
     */
    public static Tensor overlay(Tensor image, Tensor colours, double alpha) {
        image.shape().requireRank(3, "overlay", "image [C,H,W]");
        colours.shape().requireRank(3, "overlay", "colours [3,H,W]");
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("overlay: expected alpha in [0,1], got " + alpha);
        }
        int h = image.dim(1);
        int w = image.dim(2);
        Tensor col = colours.dim(1) == h && colours.dim(2) == w ? colours : Bilinear.resize(colours, h, w);
        int c = image.dim(0);
        float a = (float) alpha;
        float[] out = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            float g = 0;
            for (int ch = 0; ch < c; ch++) {
                g += image.data()[ch * h * w + i];
            }
            g = Math.max(0f, Math.min(1f, g / c));
            for (int k = 0; k < 3; k++) {
                out[k * h * w + i] = (1 - a) * g + a * col.data()[k * h * w + i];
            }
        }
        return new Tensor(Shape.of(3, h, w), out);
    }

    /**
     * The map {@code [C,H,W]} over the image {@code [C,H,W]} (in gray): each pixel's colour (as {@link #colour})
     * weighs {@code alpha * min(1, |v| / s)}, so pixels without attribution show the image itself.
     */
    public static Tensor overlay(Tensor image, Tensor map, boolean signed, double alpha) {
        return overlay(image, map, signed, alpha, scale(map));
    }

    /** As {@link #overlay(Tensor, Tensor, boolean, double)} at the given {@code scale} (see {@link #colour(Tensor, boolean, double)}). */
    public static Tensor overlay(Tensor image, Tensor map, boolean signed, double alpha, double scale) {
        Tensor colours = colour(map, signed, scale);
        Tensor p = plane(map);
        double s = scale;
        int hw = p.size();
        Tensor gray = overlay(image, colours, 0);
        Tensor full = overlay(image, colours, alpha);
        float[] out = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            float t = s > 0 ? (float) Math.min(1, Math.abs(p.data()[i]) / s) : 0f;
            for (int k = 0; k < 3; k++) {
                out[k * hw + i] = gray.data()[k * hw + i] + t * (full.data()[k * hw + i] - gray.data()[k * hw + i]);
            }
        }
        return new Tensor(colours.shape(), out);
    }

    private static void requireScale(double scale, String where) {
        if (!(scale >= 0 && Double.isFinite(scale))) {
            throw new IllegalArgumentException(where + ": expected a finite scale >= 0, got " + scale);
        }
    }
}
