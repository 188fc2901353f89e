package dev.fovea.image;

/**
 * The 8-bit image operations of AugMix (Hendrycks et al., ICLR 2020), as Pillow 9.4 defines them
 * ({@code PIL.ImageOps.autocontrast}, {@code equalize}, {@code posterize}, {@code solarize};
 * {@code Image.transform(size, AFFINE, data, BILINEAR)} and {@code Image.rotate(angle, BILINEAR)}). Images are
 * {@code int} arrays of values 0 to 255, channel-major {@code [C,H,W]} ({@code C} = 1 for PIL's mode {@code L}, 3
 * for {@code RGB}); every operation returns a new array and leaves its input as it was. Histogram operations work on
 * each channel separately, as PIL's do on each band.
 *
 * <p>PIL's affine resampling: output pixel {@code (x, y)} takes the input at {@code (a x' + b y' + c,
 * d x' + e y' + f)} with {@code x' = x + 0.5}, {@code y' = y + 0.5} (pixel centres at half coordinates); a point
 * outside {@code [0, w) x [0, h)} gives the fill 0, any other is blended bilinearly between the pixels around it
 * (those past the border repeat the edge) and truncated to an integer, all in double precision in PIL's order of
 * operations, so results agree with Pillow's to the byte.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /** {@code round(255 x)} for pixels {@code x} in {@code [0,1]} (clamped), as 8-bit values. */
    public static int[] toBytes(float[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (int) Math.max(0, Math.min(255, Math.round(x[i] * 255.0)));
        }
        return out;
    }

    /** {@code ImageOps.autocontrast(img)} (cutoff 0): each channel stretched so its darkest value is 0, its lightest 255. */
    public static int[] autocontrast(int[] px, int c, int h, int w) {
        int plane = h * w;
        int[][] lut = new int[c][256];
        for (int ch = 0; ch < c; ch++) {
            int lo = 255;
            int hi = 0;
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                lo = Math.min(lo, px[i]);
                hi = Math.max(hi, px[i]);
            }
            for (int v = 0; v < 256; v++) {
                if (hi <= lo) {
                    lut[ch][v] = v;
                } else {
                    double scale = 255.0 / (hi - lo);
                    double offset = -lo * scale;
                    lut[ch][v] = Math.max(0, Math.min(255, (int) (v * scale + offset)));
                }
            }
        }
        return lookUp(px, plane, lut);
    }

    /**
     * {@code ImageOps.equalize(img)}: each channel mapped through its cumulative histogram, with PIL's step
     * {@code (n - count of the last value present) / 255} (integer division) and its rounding of half a step.
     */
    public static int[] equalize(int[] px, int c, int h, int w) {
        int plane = h * w;
        int[][] lut = new int[c][256];
        for (int ch = 0; ch < c; ch++) {
            long[] hist = new long[256];
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                hist[px[i]]++;
            }
            long total = 0;
            long last = 0;
            int present = 0;
            for (long n : hist) {
                if (n > 0) {
                    total += n;
                    last = n;
                    present++;
                }
            }
            long step = present <= 1 ? 0 : (total - last) / 255;
            long n = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[ch][v] = step == 0 ? v : (int) Math.min(255, n / step);
                n += hist[v];
            }
        }
        return lookUp(px, plane, lut);
    }

    /** {@code ImageOps.posterize(img, bits)}: keeps the {@code bits} (1 to 8) highest bits of every value. */
    public static int[] posterize(int[] px, int bits) {
        if (bits < 1 || bits > 8) {
            throw new IllegalArgumentException("posterize: expected bits from 1 to 8, got " + bits);
        }
        int mask = ~((1 << (8 - bits)) - 1);
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = px[i] & mask;
        }
        return out;
    }

    /** {@code ImageOps.solarize(img, threshold)}: every value at or above {@code threshold} becomes {@code 255 - v}. */
    public static int[] solarize(int[] px, int threshold) {
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = px[i] < threshold ? px[i] : 255 - px[i];
        }
        return out;
    }

    /**
     * {@code img.transform(img.size, Image.AFFINE, (a, b, c, d, e, f), resample=Image.BILINEAR)}: the output keeps
     * the input's size; {@code m} holds the six coefficients of the map from output to input.
     */
    public static int[] affine(int[] px, int c, int h, int w, double[] m) {
        if (m.length != 6) {
            throw new IllegalArgumentException("affine: expected 6 coefficients, got " + m.length);
        }
        int plane = h * w;
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xo = x + 0.5;
                double yo = y + 0.5;
                double xin = m[0] * xo + m[1] * yo + m[2];
                double yin = m[3] * xo + m[4] * yo + m[5];
                if (xin < 0.0 || xin >= w || yin < 0.0 || yin >= h) {
                    continue;
                }
                xin -= 0.5;
                yin -= 0.5;
                int xi = (int) Math.floor(xin);
                int yi = (int) Math.floor(yin);
                double dx = xin - xi;
                double dy = yin - yi;
                int x0 = clip(xi, w);
                int x1 = clip(xi + 1, w);
                int r0 = clip(yi, h);
                boolean below = yi + 1 >= 0 && yi + 1 < h;
                for (int ch = 0; ch < c; ch++) {
                    int o = ch * plane;
                    double v1 = blend(px[o + r0 * w + x0], px[o + r0 * w + x1], dx);
                    double v2 = below ? blend(px[o + (yi + 1) * w + x0], px[o + (yi + 1) * w + x1], dx) : v1;
                    out[o + y * w + x] = (int) (v1 + (v2 - v1) * dy);
                }
            }
        }
        return out;
    }

    /**
     * {@code img.rotate(degrees, resample=Image.BILINEAR)}: counter-clockwise about the centre {@code (w/2, h/2)},
     * the same size, black where the rotated image does not reach. As in PIL, a multiple of 360 degrees copies, 180
     * turns the image exactly, 90 and 270 on a square image transpose it exactly; any other angle goes through
     * {@link #affine} with PIL's matrix (its cosine and sine rounded to 15 decimals).
     */
    public static int[] rotate(int[] px, int c, int h, int w, double degrees) {
        double angle = degrees - 360.0 * Math.floor(degrees / 360.0); // Python's angle % 360.0
        if (angle == 0) {
            return px.clone();
        }
        if (angle == 180 || ((angle == 90 || angle == 270) && h == w)) {
            int[] out = new int[px.length];
            int plane = h * w;
            for (int ch = 0; ch < c; ch++) {
                int o = ch * plane;
                for (int r = 0; r < h; r++) {
                    for (int x = 0; x < w; x++) {
                        int from = angle == 180 ? (h - 1 - r) * w + (w - 1 - x)
                                : angle == 90 ? x * w + (w - 1 - r)
                                : (h - 1 - x) * w + r;
                        out[o + r * w + x] = px[o + from];
                    }
                }
            }
            return out;
        }
        double t = -Math.toRadians(angle);
        double cos = round15(Math.cos(t));
        double sin = round15(Math.sin(t));
        double cx = w / 2.0;
        double cy = h / 2.0;
        double[] m = {cos, sin, 0.0, round15(-Math.sin(t)), cos, 0.0};
        double tx = m[0] * -cx + m[1] * -cy + m[2];
        double ty = m[3] * -cx + m[4] * -cy + m[5];
        m[2] = tx + cx;
        m[5] = ty + cy;
        return affine(px, c, h, w, m);
    }

    /** Python's {@code round(v, 15)}: the exact binary value rounded half-even to 15 decimals, back to the nearest double. */
    private static double round15(double v) {
        return Double.parseDouble(new java.math.BigDecimal(v).setScale(15, java.math.RoundingMode.HALF_EVEN).toString());
    }

    private static double blend(int a, int b, double d) {
        return a + (b - a) * d;
    }

    private static int clip(int i, int size) {
        return i < 0 ? 0 : i >= size ? size - 1 : i;
    }

    private static int[] lookUp(int[] px, int plane, int[][] lut) {
        int[] out = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = lut[i / plane][px[i]];
        }
        return out;
    }
}
