package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Gaussian noise (ImageNet-C, noise): adds independent normal noise of standard deviation {@code sigma} to every
 * value, clipped to {@code [0,1]}.
 *
 * <p>Sigma per severity 1 to 5: CIFAR-10-C 0.04, 0.06, 0.08, 0.09, 0.10; ImageNet-C 0.08, 0.12, 0.18, 0.26, 0.38.
 * Identity: sigma 0.
 */
public final class GaussianNoise extends Corruption<GaussianNoise.Params> {
    private static final double[] SMALL = {0.04, 0.06, 0.08, 0.09, 0.10};
    private static final double[] LARGE = {0.08, 0.12, 0.18, 0.26, 0.38};

    /** @param sigma the noise's standard deviation, in pixel units */
    public record Params(double sigma) {
    }

    @Override
    public String name() {
        return "gaussian-noise";
    }

    @Override
    public Family family() {
        return Family.NOISE;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "adds normal noise to every value (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        for (int i = 0; i < src.length; i++) {
            dst[i] = p.sigma() == 0 ? src[i] : (float) (src[i] + p.sigma() * rng.nextGaussian());
        }
    }
}
