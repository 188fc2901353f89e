package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Glass blur (ImageNet-C, blur): a gaussian blur, local shuffles of pixels, and the gaussian blur again, as the
 * published generators' {@code glass_blur}. The blurs are scikit-image's {@code filters.gaussian} ({@link
 * Filters#gaussian}, borders {@code 'nearest'}). Between them the image is quantised to 8 bits as the generators'
 * {@code np.uint8(blurred * 255)} does (truncation; a margin of {@code 1e-4} levels is added first so that a blur
 * that should give an exact level, say a constant 1 that comes out as 0.99999994 in single precision, is not
 * dropped a level), then, {@code iterations} times, every pixel {@code (r, q)} for rows {@code r} from
 * {@code H - delta} down to {@code delta + 1} and, within each, columns {@code q} from {@code W - delta} down to
 * {@code delta + 1} takes the value (all channels) of the pixel {@code (r + dy, q + dx)}, {@code dx} then {@code dy}
 * drawn uniformly from {@code [-delta, delta)} as {@code np.random.randint(-delta, delta)}. The generators write
 * this step as a swap, {@code x[h, w], x[h', w'] = x[h', w'], x[h, w]}, but on an {@code H x W x 3} array the
 * right-hand side holds views, so numpy copies the neighbour into {@code (h, w)} and leaves the neighbour as it was;
 * CIFAR-10-C and ImageNet-C were made that way, and so is this (a true swap carries pixels far across the image
 * and gives a speckled look the published data does not have). The generators loop over
 * their fixed image size (32 or 224) for both axes; here the loops run over the image's own rows and columns.
 *
 * <p>{@code (sigma, delta, iterations)} per severity 1 to 5: CIFAR-10-C (0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1),
 * (0.25, 1, 2), (0.4, 1, 2); ImageNet-C (0.7, 1, 2), (0.9, 2, 1), (1, 2, 3), (1.1, 3, 2), (1.5, 4, 2). Sigma and
 * delta are pixel sizes and are scaled by the image's larger side over the table's ({@link Scale}), delta rounded
 * and at least 1. Grayscale images go through the same steps with one channel, as in the {@code imagecorruptions}
 * package. Identity: sigma 0 and no shuffle; the quantisation belongs to the shuffle and is skipped without it.
 */
public final class GlassBlur extends Corruption<GlassBlur.Params> {
    private static final double[][] SMALL = {{0.05, 1, 1}, {0.25, 1, 1}, {0.4, 1, 1}, {0.25, 1, 2}, {0.4, 1, 2}};
    private static final double[][] LARGE = {{0.7, 1, 2}, {0.9, 2, 1}, {1, 2, 3}, {1.1, 3, 2}, {1.5, 4, 2}};

    /**
     * @param sigma      the gaussian's standard deviation in pixels
     * @param delta      the largest shift of a swap, in pixels
     * @param iterations how many times every pixel is swapped
     */
    public record Params(double sigma, int delta, int iterations) {
        public Params {
            if (delta < 0 || iterations < 0) {
                throw new IllegalArgumentException("glass-blur: expected delta and iterations >= 0, got delta=" + delta
                        + " iterations=" + iterations);
            }
        }
    }

    @Override
    public String name() {
        return "glass-blur";
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
        return "blurs, shuffles pixels locally and blurs again, as frosted glass (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        double[] c = (s == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        double f = s.factor(Math.max(height, width));
        return new Params(c[0] * f, Math.max(1, (int) Math.round(c[1] * f)), (int) c[2]);
    }

    @Override
    public Params identity() {
        return new Params(0, 0, 0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        float[] x = Filters.gaussian(src, c, h, w, p.sigma(), Filters.Border.NEAREST);
        int d = p.delta();
        if (d > 0 && p.iterations() > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (Math.floor(x[i] * 255.0 + 1e-4) / 255.0);
            }
            int plane = h * w;
            for (int it = 0; it < p.iterations(); it++) {
                for (int r = h - d; r > d; r--) {
                    for (int q = w - d; q > d; q--) {
                        int dx = rng.nextInt(-d, d);
                        int dy = rng.nextInt(-d, d);
                        int a = r * w + q;
                        int b = (r + dy) * w + q + dx;
                        for (int ch = 0; ch < c; ch++) {
                            x[ch * plane + a] = x[ch * plane + b];
                        }
                    }
                }
            }
        }
        System.arraycopy(Filters.gaussian(x, c, h, w, p.sigma(), Filters.Border.NEAREST), 0, dst, 0, c * h * w);
    }
}
