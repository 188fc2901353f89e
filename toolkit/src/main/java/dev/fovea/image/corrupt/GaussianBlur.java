package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Gaussian blur (extra of CIFAR-10-C and ImageNet-C): each channel filtered as scikit-image's
 * {@code filters.gaussian(x, sigma, multichannel=True)} does, that is SciPy's {@code gaussian_filter} with sigma 0
 * across channels, {@code mode='nearest'} and {@code truncate=4.0}: taps over {@code int(4 sigma + 0.5)} pixels each
 * side, rows then columns ({@link Filters#gaussian}).
 *
 * <p>Sigma in pixels per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.4, 0.6, 0.7, 0.8, 1; ImageNet-C
 * ({@code make_imagenet_c.py}) 1, 2, 3, 4, 6; scaled by the image's larger side over the table's (32 or 224,
 * {@link Scale}). Grayscale images are filtered the same way (one channel). Identity: sigma 0. Deterministic.
 */
public final class GaussianBlur extends Corruption<GaussianBlur.Params> {
    private static final double[] SMALL = {0.4, 0.6, 0.7, 0.8, 1};
    private static final double[] LARGE = {1, 2, 3, 4, 6};

    /** @param sigma the gaussian's standard deviation in pixels */
    public record Params(double sigma) {
    }

    @Override
    public String name() {
        return "gaussian-blur";
    }

    @Override
    public Family family() {
        return Family.BLUR;
    }

    @Override
    public Suite suite() {
        return Suite.EXTRA;
    }

    @Override
    public String describe() {
        return "blurs each channel with a gaussian, as scikit-image's filters.gaussian (ImageNet-C extra)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        return new Params(Corruptions.at(s == Scale.SMALL ? SMALL : LARGE, severity) * s.factor(Math.max(height, width)));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        System.arraycopy(Filters.gaussian(src, c, h, w, p.sigma(), Filters.Border.NEAREST), 0, dst, 0, c * h * w);
    }
}
