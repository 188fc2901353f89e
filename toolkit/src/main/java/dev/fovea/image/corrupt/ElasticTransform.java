package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Elastic transform (ImageNet-C, digital; Simard et al., ICDAR 2003, as adapted in the published generator): a
 * random affine warp followed by a smooth random displacement of every pixel.
 *
 * <ol>
 *   <li>Affine: the points {@code (a+s, b+s), (a+s, b-s), (a-s, b-s)} with {@code a = h / 2}, {@code b = w / 2}
 *   (integer halves) and {@code s = min(h, w) / 3}, in the generator's order (OpenCV reads the first coordinate
 *   as the column; for a square image it makes no difference), each move by {@code U(-affine, affine)} per
 *   coordinate (rounded to float, as NumPy's {@code astype(float32)}); the image is warped by the affine map that
 *   takes the first points to the moved ones ({@code cv2.getAffineTransform} and {@code warpAffine}), sampling
 *   bilinearly with the border mirrored without repeating the edge ({@code BORDER_REFLECT_101}).</li>
 *   <li>Displacement: two fields of {@code U(-1, 1)} values, {@code dx} then {@code dy}, each smoothed by a Gaussian
 *   of standard deviation {@code sigma} cut at {@code 3 sigma} (radius {@code (int)(3 sigma + 0.5)}), one axis
 *   after the other, rows first, with the border mirrored with the edge repeated ({@code
 *   skimage.filters.gaussian(mode='reflect', truncate=3)}, that is {@code scipy.ndimage.gaussian_filter}; the
 *   mirror repeats for kernels longer than the image), times {@code alpha}, rounded to float. The result at
 *   {@code (y, x)} is the warped image sampled bilinearly at {@code (y + dy, x + dx)} with the same mirrored
 *   border ({@code scipy.ndimage.map_coordinates(order=1, mode='reflect')}). All channels share the fields.</li>
 * </ol>
 *
 * <p>Parameters (alpha, sigma, affine), in pixels, per severity 1 to 5, as the generators write them: CIFAR-10-C
 * ({@code make_cifar_c.py}, {@code IMSIZE = 32}) {@code IMSIZE *} (0, 0, 0.08), (0.05, 0.2, 0.07), (0.08, 0.06,
 * 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03); ImageNet-C ({@code make_imagenet_c.py}, whose comment says 244
 * stands where 224 was meant) {@code 244 *} (2, 0.7, 0.1), (2, 0.08, 0.2), (0.05, 0.01, 0.02), (0.07, 0.01, 0.02),
 * (0.12, 0.01, 0.02). For an image whose larger side is not the table's (32 or 224) all three are scaled by that
 * side over the table's ({@link Scale#factor}), so the published numbers hold at 32 and 224 exactly. Identity: all
 * three 0 (the moved points are the points, the affine map is the identity exactly, as Cramer's rule on whole
 * numbers gives it, and no displacement is made, so every sample falls on its own pixel).
 *
 * <p>Deviations: the affine map from the moved points back to the first ones is solved directly (Cramer's rule in
 * double) where OpenCV solves the forward one and inverts it, and the warp samples at the exact position where
 * OpenCV rounds it to 1/32 of a pixel ({@code INTER_BITS = 5}); images with a side under 3 pixels, where the three
 * points coincide, skip the affine step. The {@code imagecorruptions} package uses another elastic transform
 * altogether (no affine step, other parameters); grayscale images are one channel here, as they are there.
 */
public final class ElasticTransform extends Corruption<ElasticTransform.Params> {
    /** Fractions of the generators' image sizes: alpha, sigma, affine. */
    private static final double[][] SMALL = {{0, 0, 0.08}, {0.05, 0.2, 0.07}, {0.08, 0.06, 0.06}, {0.1, 0.04, 0.05}, {0.1, 0.03, 0.03}};
    private static final double[][] LARGE = {{2, 0.7, 0.1}, {2, 0.08, 0.2}, {0.05, 0.01, 0.02}, {0.07, 0.01, 0.02}, {0.12, 0.01, 0.02}};
    private static final double SMALL_IMSIZE = 32;
    private static final double LARGE_IMSIZE = 244;
    private static final double TRUNCATE = 3;

    /**
     * @param alpha  scales the smoothed displacement field, in pixels
     * @param sigma  the Gaussian's standard deviation, in pixels
     * @param affine the largest move of a corner point of the affine warp, in pixels
     */
    public record Params(double alpha, double sigma, double affine) {
        public Params {
            if (!Double.isFinite(alpha) || !(sigma >= 0) || !(affine >= 0) || Double.isInfinite(sigma) || Double.isInfinite(affine)) {
                throw new IllegalArgumentException("elastic-transform: expected a finite alpha and finite sigma, affine >= 0, got "
                        + alpha + ", " + sigma + ", " + affine);
            }
        }
    }

    @Override
    public String name() {
        return "elastic-transform";
    }

    @Override
    public Family family() {
        return Family.DIGITAL;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "warps by a random affine map and a smoothed random displacement field (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale scale = Scale.of(height, width);
        double[] row = (scale == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        double imsize = scale == Scale.SMALL ? SMALL_IMSIZE : LARGE_IMSIZE;
        double k = scale.factor(Math.max(height, width));
        return new Params(imsize * row[0] * k, imsize * row[1] * k, imsize * row[2] * k);
    }

    @Override
    public Params identity() {
        return new Params(0, 0, 0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        float[] warped = warp(src, c, h, w, p.affine(), rng);
        if (p.alpha() == 0) {
            System.arraycopy(warped, 0, dst, 0, src.length);
            return;
        }
        float[] dx = field(h, w, p.alpha(), p.sigma(), rng);
        float[] dy = field(h, w, p.alpha(), p.sigma(), rng);
        for (int ch = 0; ch < c; ch++) {
            int o = ch * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    dst[o + i] = (float) bilinear(warped, o, h, w, y + (double) dy[i], x + (double) dx[i], false);
                }
            }
        }
    }

    /** Step 1: the random affine warp of every channel. */
    private static float[] warp(float[] src, int c, int h, int w, double affine, RandomGenerator rng) {
        float a = (float) (h / 2);
        float b = (float) (w / 2);
        int s = Math.min(h, w) / 3;
        float[][] from = {{a + s, b + s}, {a + s, b - s}, {a - s, b - s}};
        float[][] to = new float[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                to[i][j] = from[i][j] + (float) (-affine + 2 * affine * rng.nextDouble());
            }
        }
        // warpAffine's inverse map: output point (x = column, y = row) -> input point, taking `to` onto `from`
        double[] m = s == 0 ? null : affineMap(to, from);
        if (m == null) {
            return src.clone();
        }
        int plane = h * w;
        float[] out = new float[src.length];
        for (int ch = 0; ch < c; ch++) {
            int o = ch * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sx = m[0] * x + m[1] * y + m[2];
                    double sy = m[3] * x + m[4] * y + m[5];
                    out[o + y * w + x] = (float) bilinear(src, o, h, w, sy, sx, true);
                }
            }
        }
        return out;
    }

    /**
     * The affine map {@code (x, y) -> (m0 x + m1 y + m2, m3 x + m4 y + m5)} taking the three points {@code p} onto
     * {@code q}, by Cramer's rule; null when {@code p} are collinear. Equal points on whole numbers give the identity
     * exactly.
     */
    static double[] affineMap(float[][] p, float[][] q) {
        double x0 = p[0][0], y0 = p[0][1], x1 = p[1][0], y1 = p[1][1], x2 = p[2][0], y2 = p[2][1];
        double det = x0 * (y1 - y2) - y0 * (x1 - x2) + (x1 * y2 - x2 * y1);
        if (det == 0 || !Double.isFinite(det)) {
            return null;
        }
        double[] m = new double[6];
        for (int r = 0; r < 2; r++) {
            double u0 = q[0][r], u1 = q[1][r], u2 = q[2][r];
            m[3 * r] = (u0 * (y1 - y2) - y0 * (u1 - u2) + (u1 * y2 - u2 * y1)) / det;
            m[3 * r + 1] = (x0 * (u1 - u2) - u0 * (x1 - x2) + (x1 * u2 - x2 * u1)) / det;
            m[3 * r + 2] = (x0 * (y1 * u2 - y2 * u1) - y0 * (x1 * u2 - x2 * u1) + u0 * (x1 * y2 - x2 * y1)) / det;
        }
        return m;
    }

    /** Step 2: {@code alpha} times a field of {@code U(-1, 1)} values smoothed by the Gaussian, as floats. */
    private static float[] field(int h, int w, double alpha, double sigma, RandomGenerator rng) {
        double[] f = new double[h * w];
        for (int i = 0; i < f.length; i++) {
            f[i] = -1 + 2 * rng.nextDouble();
        }
        if (sigma > 1e-15) { // scipy leaves an axis alone at a smaller sigma
            double[] kernel = kernel(sigma);
            smoothAxis(f, h, w, w, 1, kernel);
            smoothAxis(f, w, h, 1, w, kernel);
        }
        float[] out = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (float) (f[i] * alpha);
        }
        return out;
    }

    /** scipy's Gaussian weights: {@code exp(-x^2 / (2 sigma^2))} for {@code |x| <= (int)(3 sigma + 0.5)}, summing to 1. */
    static double[] kernel(double sigma) {
        int r = (int) (TRUNCATE * sigma + 0.5);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int j = -r; j <= r; j++) {
            k[j + r] = Math.exp(-0.5 / (sigma * sigma) * j * j);
            sum += k[j + r];
        }
        for (int j = 0; j < k.length; j++) {
            k[j] /= sum;
        }
        return k;
    }

    /**
     * Correlates each of {@code lines} lines of {@code n} values (element {@code i} of line {@code l} at {@code l *
     * lineStep + i * step}) with {@code kernel}, the border mirrored with the edge repeated; the taps that the mirror
     * folds onto one value are added up first, so a kernel longer than the line costs no more than the line.
     */
    static void smoothAxis(double[] f, int n, int lines, int step, int lineStep, double[] kernel) {
        int r = kernel.length / 2;
        int[][] index = new int[n][];
        double[][] weight = new double[n][];
        double[] acc = new double[n];
        int[] touched = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = -r; j <= r; j++) {
                int s = mirror(i + j, n);
                if (!seen[s]) {
                    seen[s] = true;
                    touched[count++] = s;
                }
                acc[s] += kernel[j + r];
            }
            index[i] = java.util.Arrays.copyOf(touched, count);
            weight[i] = new double[count];
            for (int t = 0; t < count; t++) {
                weight[i][t] = acc[touched[t]];
                acc[touched[t]] = 0;
                seen[touched[t]] = false;
            }
        }
        double[] line = new double[n];
        for (int l = 0; l < lines; l++) {
            int base = l * lineStep;
            for (int i = 0; i < n; i++) {
                line[i] = f[base + i * step];
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int t = 0; t < index[i].length; t++) {
                    s += weight[i][t] * line[index[i][t]];
                }
                f[base + i * step] = s;
            }
        }
    }

    /** Bilinear sample of channel plane {@code o} at row {@code sy}, column {@code sx}, beyond the border mirrored. */
    private static double bilinear(float[] img, int o, int h, int w, double sy, double sx, boolean reflect101) {
        double fy = Math.floor(sy);
        double fx = Math.floor(sx);
        double ty = sy - fy;
        double tx = sx - fx;
        int y0 = (int) fy;
        int x0 = (int) fx;
        int ya = reflect101 ? mirror101(y0, h) : mirror(y0, h);
        int yb = reflect101 ? mirror101(y0 + 1, h) : mirror(y0 + 1, h);
        int xa = reflect101 ? mirror101(x0, w) : mirror(x0, w);
        int xb = reflect101 ? mirror101(x0 + 1, w) : mirror(x0 + 1, w);
        double top = img[o + ya * w + xa] * (1 - tx) + img[o + ya * w + xb] * tx;
        double bottom = img[o + yb * w + xa] * (1 - tx) + img[o + yb * w + xb] * tx;
        return top * (1 - ty) + bottom * ty;
    }

    /** scipy's {@code reflect}: {@code d c b a | a b c d | d c b a}, repeating. */
    static int mirror(int i, int n) {
        int k = Math.floorMod(i, 2 * n);
        return k < n ? k : 2 * n - 1 - k;
    }

    /** OpenCV's {@code BORDER_REFLECT_101}: {@code d c b | a b c d | c b a}, repeating. */
    static int mirror101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int k = Math.floorMod(i, 2 * n - 2);
        return k < n ? k : 2 * n - 2 - k;
    }
}
