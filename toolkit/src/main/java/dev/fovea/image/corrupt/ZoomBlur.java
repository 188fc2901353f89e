package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Zoom blur (ImageNet-C, blur): the mean of the image and its centre zoomed by each factor of a list,
 * {@code (x + sum_z clippedZoom(x, z)) / (n + 1)}. {@link #clippedZoom} is the generators' {@code clipped_zoom}:
 * the centre crop of {@code ceil(side / z)} pixels ({@code top = (side - crop) // 2}) enlarged by
 * {@code scipy.ndimage.zoom(crop, z, order=1)} to {@code round(crop z)} pixels (sample {@code k} at crop position
 * {@code k (crop - 1) / (out - 1)}, linear between neighbours) and its centre {@code side} pixels kept
 * ({@code trim = (out - side) // 2}); each axis on its own, so that non-square images follow the same rule.
 *
 * <p>Factors per severity 1 to 5, numpy's {@code arange(1, stop, step)} (whose float rounding includes the stop
 * in the first two CIFAR lists): CIFAR-10-C {@code (1.06, 0.01)}, {@code (1.11, 0.01)}, {@code (1.16, 0.01)},
 * {@code (1.21, 0.01)}, {@code (1.26, 0.01)}; ImageNet-C {@code (1.11, 0.01)}, {@code (1.16, 0.01)},
 * {@code (1.21, 0.02)}, {@code (1.26, 0.02)}, {@code (1.31, 0.03)}. Zoom factors are relative and need no
 * scaling. Grayscale images are zoomed the same way (the {@code imagecorruptions} package zooms a grayscale image
 * as three equal channels and keeps one, which is the same). Identity: no factors. Deterministic.
 */
public final class ZoomBlur extends Corruption<ZoomBlur.Params> {
    private static final double[][] SMALL = {{1.06, 0.01}, {1.11, 0.01}, {1.16, 0.01}, {1.21, 0.01}, {1.26, 0.01}};
    private static final double[][] LARGE = {{1.11, 0.01}, {1.16, 0.01}, {1.21, 0.02}, {1.26, 0.02}, {1.31, 0.03}};

    /** @param factors the zoom factors, each at least 1 */
    public record Params(double[] factors) {
        public Params {
            for (double z : factors) {
                if (!(z >= 1) || Double.isInfinite(z)) {
                    throw new IllegalArgumentException("zoom-blur: expected zoom factors >= 1, got " + z);
                }
            }
            factors = factors.clone();
        }

        @Override
        public double[] factors() {
            return factors.clone();
        }
    }

    @Override
    public String name() {
        return "zoom-blur";
    }

    @Override
    public Family family() {
        return Family.BLUR;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "averages the image with zoomed-in copies of its centre (ImageNet-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double[] c = (Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        return new Params(arange(1, c[0], c[1]));
    }

    /** numpy's {@code arange(start, stop, step)}: {@code ceil((stop - start) / step)} values {@code start + i step}. */
    static double[] arange(double start, double stop, double step) {
        int n = (int) Math.ceil((stop - start) / step);
        double[] v = new double[Math.max(0, n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return v;
    }

    @Override
    public Params identity() {
        return new Params(new double[0]);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double[] factors = p.factors();
        double[] sum = new double[src.length];
        for (int i = 0; i < src.length; i++) {
            sum[i] = src[i];
        }
        float[] zoomed = new float[src.length];
        for (double z : factors) {
            clippedZoom(src, c, h, w, z, zoomed);
            for (int i = 0; i < src.length; i++) {
                sum[i] += zoomed[i];
            }
        }
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) (sum[i] / (factors.length + 1));
        }
    }

    /** The generators' {@code clipped_zoom} of {@code c} planes of {@code h x w} by {@code z}, into {@code out}. */
    static void clippedZoom(float[] src, int c, int h, int w, double z, float[] out) {
        int[] r0 = new int[h];
        double[] rt = new double[h];
        int[] c0 = new int[w];
        double[] ct = new double[w];
        axis(h, z, r0, rt);
        axis(w, z, c0, ct);
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int ya = r0[y];
                int yb = Math.min(ya + 1, h - 1);
                double ty = rt[y];
                for (int x = 0; x < w; x++) {
                    int xa = c0[x];
                    int xb = Math.min(xa + 1, w - 1);
                    double tx = ct[x];
                    double top = (1 - tx) * src[base + ya * w + xa] + tx * src[base + ya * w + xb];
                    double bottom = (1 - tx) * src[base + yb * w + xa] + tx * src[base + yb * w + xb];
                    out[base + y * w + x] = (float) ((1 - ty) * top + ty * bottom);
                }
            }
        }
    }

    /** For each output position along an axis of {@code n}: the source index below it and the weight of the next. */
    private static void axis(int n, double z, int[] lo, double[] t) {
        int crop = (int) Math.ceil(n / z);
        int top = (n - crop) / 2;
        int size = (int) Math.rint(crop * z);
        int trim = (size - n) / 2;
        double step = size > 1 ? (double) (crop - 1) / (size - 1) : 1;
        for (int k = 0; k < n; k++) {
            double pos = (k + trim) * step;
            int f = (int) Math.floor(pos);
            f = Math.min(Math.max(f, 0), crop - 1);
            lo[k] = top + f;
            t[k] = f == crop - 1 ? 0 : pos - f;
        }
    }
}
