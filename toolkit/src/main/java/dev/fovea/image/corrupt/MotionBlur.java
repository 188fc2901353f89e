package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Motion blur (ImageNet-C, blur): ImageMagick's {@code MagickMotionBlurImage(radius, sigma, angle)}, which the
 * published generators call through Wand, at an angle drawn uniformly from {@code [-45, 45)} degrees. The kernel
 * is one-sided: {@code width = 2 ceil(radius) + 1} taps {@code k_i = exp(-i^2 / (2 sigma^2))}, normalised to sum 1,
 * for {@code i = 0..width-1}; tap {@code i} reads the pixel at column offset {@code ceil(i cos(angle) - 0.5)} and
 * row offset {@code ceil(i sin(angle) - 0.5)} (rows pointing down), pixels outside the image being the nearest edge
 * pixel (ImageMagick's default edge virtual pixels; {@link Filters.Border#NEAREST}). The {@code imagecorruptions}
 * package's {@code _motion_blur} re-implements the same kernel in numpy. The taps are laid into a square kernel over
 * their bounding box, anchored at tap 0, and go through {@link Filters#correlate}.
 *
 * <p>{@code (radius, sigma)} in pixels per severity 1 to 5: CIFAR-10-C (6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5);
 * ImageNet-C (10, 3), (15, 5), (15, 8), (15, 12), (20, 15); both scaled by the image's larger side over the table's
 * ({@link Scale}). Grayscale images are blurred the same way (the {@code imagecorruptions} package blurs the single
 * channel). Identity: radius 0 (one tap).
 *
 * <p>Deviations: the generators round-trip the image through 8-bit PNG, so their output is quantised to 1/255;
 * here it stays in floating point. ImageMagick picks a width from sigma when the radius is 0; here radius 0 means
 * one tap, no blur. The {@code imagecorruptions} version stops adding taps once an offset leaves the image; as
 * ImageMagick, this one keeps reading edge pixels.
 */
public final class MotionBlur extends Corruption<MotionBlur.Params> {
    private static final double[][] SMALL = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};
    private static final double[][] LARGE = {{10, 3}, {15, 5}, {15, 8}, {15, 12}, {20, 15}};

    /**
     * @param radius the kernel's radius in pixels, not counting the centre ({@code 2 ceil(radius) + 1} taps)
     * @param sigma  the standard deviation of the one-sided gaussian weights, in pixels
     */
    public record Params(double radius, double sigma) {
    }

    @Override
    public String name() {
        return "motion-blur";
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
        return "blurs along a line at a random angle, as ImageMagick's motion blur (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        double[] c = (s == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        double f = s.factor(Math.max(height, width));
        return new Params(c[0] * f, c[1] * f);
    }

    @Override
    public Params identity() {
        return new Params(0, 0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double angle = rng.nextDouble(-45, 45);
        System.arraycopy(blur(src, c, h, w, p.radius(), p.sigma(), angle), 0, dst, 0, c * h * w);
    }

    /** ImageMagick's weights: {@code 2 ceil(radius) + 1} one-sided gaussian taps summing to 1 (one tap for radius 0). */
    static double[] weights(double radius, double sigma) {
        int width = 2 * (int) Math.ceil(radius) + 1;
        double[] k = new double[width];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            k[i] = i == 0 ? 1 : sigma > 0 ? Math.exp(-(double) i * i / (2 * sigma * sigma)) : 0;
            sum += k[i];
        }
        for (int i = 0; i < width; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** ImageMagick's offsets of tap {@code i}: {@code {column, row}}. */
    static int[] offset(int i, double angleDegrees) {
        double a = Math.toRadians(angleDegrees);
        double px = Math.sin(a);
        double py = Math.cos(a);
        double hyp = Math.hypot(px, py);
        return new int[] {(int) Math.ceil(i * py / hyp - 0.5), (int) Math.ceil(i * px / hyp - 0.5)};
    }

    /** {@code count} planes of {@code h x w} motion-blurred: {@code out(x, y) = sum_i k_i in(x + dx_i, y + dy_i)}. */
    static float[] blur(float[] planes, int count, int h, int w, double radius, double sigma, double angleDegrees) {
        double[] k = weights(radius, sigma);
        int n = k.length;
        int[] dx = new int[n];
        int[] dy = new int[n];
        int minX = 0, maxX = 0, minY = 0, maxY = 0;
        for (int i = 0; i < n; i++) {
            int[] o = offset(i, angleDegrees);
            dx[i] = o[0];
            dy[i] = o[1];
            minX = Math.min(minX, dx[i]);
            maxX = Math.max(maxX, dx[i]);
            minY = Math.min(minY, dy[i]);
            maxY = Math.max(maxY, dy[i]);
        }
        int size = Math.max(maxX - minX, maxY - minY) + 1;
        double[] taps = new double[size * size];
        for (int i = 0; i < n; i++) {
            taps[(dy[i] - minY) * size + dx[i] - minX] += k[i];
        }
        float[] kernel = new float[size * size];
        for (int t = 0; t < taps.length; t++) {
            kernel[t] = (float) taps[t];
        }
        return Filters.correlate(planes, count, h, w, kernel, size, -minY, -minX, Filters.Border.NEAREST);
    }
}
