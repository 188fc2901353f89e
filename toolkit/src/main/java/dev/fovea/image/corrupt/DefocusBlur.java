package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Defocus blur (ImageNet-C, blur): each channel correlated with an anti-aliased disk, as the published generators'
 * {@code disk} and {@code cv2.filter2D(x, -1, kernel)} (borders {@code BORDER_REFLECT_101}, {@link
 * Filters.Border#MIRROR}).
 *
 * <p>The disk: the indicator of {@code X^2 + Y^2 <= radius^2} on the grid {@code -8..8} (for radius up to 8, else
 * {@code -ceil(radius)..ceil(radius)}), divided by its sum, then blurred by {@code cv2.GaussianBlur} with a 3x3
 * kernel (5x5 beyond radius 8) of sigma {@code aliasBlur}, borders reflect-101 on the kernel's grid. The grid's
 * zero border is trimmed before the image is filtered, which changes no sum. From radius 8 the disk touches its
 * grid, and the reflect-101 border of the anti-aliasing folds weight back in, so that the kernel sums to a little
 * more than 1 (1.013 at radius 8), in the generators as here.
 *
 * <p>{@code (radius, aliasBlur)} per severity 1 to 5: CIFAR-10-C (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2),
 * (1.5, 0.1); ImageNet-C (3, 0.1), (4, 0.5), (6, 0.5), (8, 0.5), (10, 0.5). The radius is scaled by the image's
 * larger side over the table's ({@link Scale}); the alias blur is kept (it acts on the kernel's own grid).
 * Grayscale images are filtered the same way, as the {@code imagecorruptions} package does. Deterministic.
 *
 * <p>Deviations: beyond radius 8 the generators' grid {@code np.arange(-radius, radius + 1)} is integral only for
 * integral radii; here it is always the integers up to {@code ceil(radius)}. An alias blur of 0 means no
 * anti-aliasing (OpenCV would pick a sigma from the kernel size); with radius 0 too, that is the identity.
 */
public final class DefocusBlur extends Corruption<DefocusBlur.Params> {
    private static final double[][] SMALL = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
    private static final double[][] LARGE = {{3, 0.1}, {4, 0.5}, {6, 0.5}, {8, 0.5}, {10, 0.5}};

    /**
     * @param radius    the disk's radius in pixels
     * @param aliasBlur the sigma of the gaussian that anti-aliases the disk, in kernel pixels
     */
    public record Params(double radius, double aliasBlur) {
    }

    @Override
    public String name() {
        return "defocus-blur";
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
        return "correlates each channel with an anti-aliased disk (ImageNet-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        double[] c = (s == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        return new Params(c[0] * s.factor(Math.max(height, width)), c[1]);
    }

    @Override
    public Params identity() {
        return new Params(0, 0);
    }

    /** The trimmed, anti-aliased disk: {@code k x k} taps, row-major, {@code k} odd. */
    static float[] disk(double radius, double aliasBlur) {
        int half = radius <= 8 ? 8 : (int) Math.ceil(radius);
        int n = 2 * half + 1;
        float[] grid = new float[n * n];
        double count = 0;
        for (int y = -half; y <= half; y++) {
            for (int x = -half; x <= half; x++) {
                if (x * x + y * y <= radius * radius) {
                    grid[(y + half) * n + x + half] = 1f;
                    count++;
                }
            }
        }
        for (int i = 0; i < grid.length; i++) {
            grid[i] = (float) (grid[i] / count);
        }
        if (aliasBlur > 0) {
            double[] taps = Filters.cvGaussianTaps(radius <= 8 ? 3 : 5, aliasBlur);
            grid = Filters.separable(grid, 1, n, n, taps, taps, Filters.Border.MIRROR);
        }
        // trim the zero border symmetrically, keeping the centre the anchor
        int keep = half;
        while (keep > 0 && ringIsZero(grid, n, half, keep)) {
            keep--;
        }
        int k = 2 * keep + 1;
        float[] kernel = new float[k * k];
        for (int y = 0; y < k; y++) {
            System.arraycopy(grid, (y + half - keep) * n + half - keep, kernel, y * k, k);
        }
        return kernel;
    }

    private static boolean ringIsZero(float[] g, int n, int half, int r) {
        for (int t = -r; t <= r; t++) {
            if (g[(half - r) * n + half + t] != 0 || g[(half + r) * n + half + t] != 0
                    || g[(half + t) * n + half - r] != 0 || g[(half + t) * n + half + r] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        float[] kernel = disk(p.radius(), p.aliasBlur());
        int k = (int) Math.round(Math.sqrt(kernel.length));
        System.arraycopy(Filters.correlate(src, c, h, w, kernel, k, Filters.Border.MIRROR), 0, dst, 0, c * h * w);
    }
}
