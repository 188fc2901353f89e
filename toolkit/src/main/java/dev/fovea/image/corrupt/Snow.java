package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Snow (ImageNet-C, weather), after the published generators' {@code snow}: a snow layer of normal noise
 * {@code N(mean, std)} per pixel, zoomed into its centre by {@code zoom} ({@link ZoomBlur#clippedZoom}), set to 0
 * below {@code threshold}, clipped to {@code [0,1]} and quantised to 8 bits by truncation (the generators'
 * {@code astype(np.uint8)} before their PNG), motion-blurred with ImageMagick's kernel ({@link MotionBlur}) at an
 * angle drawn from {@code [-135, -45)} degrees and quantised again to the nearest of 256 levels (ImageMagick's
 * 8-bit output); the image is brightened towards gray, {@code blend x + (1 - blend) max(x, 1.5 gray + 0.5)} with
 * {@code gray = 0.299 r + 0.587 g + 0.114 b} (OpenCV's {@code RGB2GRAY} weights), and the snow layer is added
 * twice, as is and turned by 180 degrees ({@code np.rot90(layer, k=2)}).
 *
 * <p>{@code (mean, std, zoom, threshold, radius, sigma, blend)} per severity 1 to 5: CIFAR-10-C
 * (0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
 * (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85), (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8); ImageNet-C
 * (0.1, 0.3, 3, 0.5, 10, 4, 0.8), (0.2, 0.3, 2, 0.5, 12, 4, 0.7), (0.55, 0.3, 4, 0.9, 12, 8, 0.7),
 * (0.55, 0.3, 4.5, 0.85, 12, 8, 0.65), (0.55, 0.3, 2.5, 0.85, 12, 12, 0.55). The motion blur's radius and sigma
 * are scaled by the image's larger side over the table's ({@link Scale}). A grayscale image is its own gray, as
 * in the {@code imagecorruptions} package. Identity: std and mean 0, threshold 1 and blend 1 (no snow, no
 * brightening).
 */
public final class Snow extends Corruption<Snow.Params> {
    private static final double[][] SMALL = {
        {0.1, 0.2, 1, 0.6, 8, 3, 0.95}, {0.1, 0.2, 1, 0.5, 10, 4, 0.9}, {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9},
        {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85}, {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8}};
    private static final double[][] LARGE = {
        {0.1, 0.3, 3, 0.5, 10, 4, 0.8}, {0.2, 0.3, 2, 0.5, 12, 4, 0.7}, {0.55, 0.3, 4, 0.9, 12, 8, 0.7},
        {0.55, 0.3, 4.5, 0.85, 12, 8, 0.65}, {0.55, 0.3, 2.5, 0.85, 12, 12, 0.55}};

    /**
     * @param mean      the snow noise's mean
     * @param std       the snow noise's standard deviation
     * @param zoom      the zoom into the noise's centre (at least 1)
     * @param threshold noise below it is no snow
     * @param radius    the motion blur's radius in pixels
     * @param sigma     the motion blur's sigma in pixels
     * @param blend     the weight of the image against its brightened version
     */
    public record Params(double mean, double std, double zoom, double threshold, double radius, double sigma, double blend) {
        public Params {
            if (!(zoom >= 1)) {
                throw new IllegalArgumentException("snow: expected a zoom >= 1, got " + zoom);
            }
        }
    }

    @Override
    public String name() {
        return "snow";
    }

    @Override
    public Family family() {
        return Family.WEATHER;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "adds motion-blurred flakes and brightens towards gray (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        double[] c = (s == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        double f = s.factor(Math.max(height, width));
        return new Params(c[0], c[1], c[2], c[3], c[4] * f, c[5] * f, c[6]);
    }

    @Override
    public Params identity() {
        return new Params(0, 0, 1, 1, 0, 0, 1);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        float[] noise = new float[plane];
        for (int i = 0; i < plane; i++) {
            noise[i] = (float) (p.mean() + p.std() * rng.nextGaussian());
        }
        float[] layer = new float[plane];
        ZoomBlur.clippedZoom(noise, 1, h, w, p.zoom(), layer);
        for (int i = 0; i < plane; i++) {
            float v = layer[i] < p.threshold() ? 0f : Math.min(1f, layer[i]);
            layer[i] = (float) (Math.floor(v * 255.0) / 255.0);
        }
        float[] snow = MotionBlur.blur(layer, 1, h, w, p.radius(), p.sigma(), rng.nextDouble(-135, -45));
        for (int i = 0; i < plane; i++) {
            snow[i] = (float) (Math.rint(snow[i] * 255.0) / 255.0);
        }
        double b = p.blend();
        for (int i = 0; i < plane; i++) {
            double gray = c == 3 ? 0.299 * src[i] + 0.587 * src[plane + i] + 0.114 * src[2 * plane + i] : src[i];
            double bright = gray * 1.5 + 0.5;
            double flakes = snow[i] + snow[plane - 1 - i];
            for (int ch = 0; ch < c; ch++) {
                double x = src[ch * plane + i];
                dst[ch * plane + i] = (float) (b * x + (1 - b) * Math.max(x, bright) + flakes);
            }
        }
    }
}
