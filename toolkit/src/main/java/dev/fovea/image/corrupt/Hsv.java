package dev.fovea.image.corrupt;

/**
 * RGB to HSV and back as scikit-image defines them ({@code skimage.color.rgb2hsv}, {@code hsv2rgb}), in double
 * precision: value is the largest channel, saturation the range over the value (0 where the range is 0), hue the
 * hexcone angle over 6 in {@code [0,1)}, where a tie for the largest channel goes to blue, then green, then red.
 * The brightness and saturation corruptions of ImageNet-C go through these, so their numbers agree with the
 * published generator's.
 */
final class Hsv {
    private Hsv() {
    }

    /** Converts one pixel {@code r, g, b} to {@code hsv}. */
    static void toHsv(double r, double g, double b, double[] hsv) {
        double v = Math.max(r, Math.max(g, b));
        double delta = v - Math.min(r, Math.min(g, b));
        double s = delta == 0 ? 0 : delta / v;
        double h = 0;
        if (delta != 0) {
            if (b == v) {
                h = 4 + (r - g) / delta;
            } else if (g == v) {
                h = 2 + (b - r) / delta;
            } else {
                h = (g - b) / delta;
            }
            h = h / 6.0;
            h = h - Math.floor(h); // numpy's % 1.0 for negative values
        }
        hsv[0] = h;
        hsv[1] = s;
        hsv[2] = v;
    }

    /** Converts {@code h, s, v} back to {@code rgb}. */
    static void toRgb(double h, double s, double v, double[] rgb) {
        double hi = Math.floor(h * 6);
        double f = h * 6 - hi;
        double p = v * (1 - s);
        double q = v * (1 - f * s);
        double t = v * (1 - (1 - f) * s);
        int sector = Math.floorMod((int) hi, 6);
        switch (sector) {
            case 0 -> set(rgb, v, t, p);
            case 1 -> set(rgb, q, v, p);
            case 2 -> set(rgb, p, v, t);
            case 3 -> set(rgb, p, q, v);
            case 4 -> set(rgb, t, p, v);
            default -> set(rgb, v, p, q);
        }
    }

    private static void set(double[] rgb, double r, double g, double b) {
        rgb[0] = r;
        rgb[1] = g;
        rgb[2] = b;
    }
}
