package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Speckle noise (held-out extra of ImageNet-C, noise): multiplicative normal noise, {@code x + x * N(0, sigma^2)}
 * for every value independently, clipped to {@code [0,1]}; black stays black. A grayscale image is treated as one
 * channel (the {@code imagecorruptions} package has no rule of its own for it).
 *
 * <p>Sigma per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.06, 0.1, 0.12, 0.16, 0.2; ImageNet-C
 * ({@code make_imagenet_c.py}) 0.15, 0.2, 0.35, 0.45, 0.6. Identity: sigma 0.
 */
public final class SpeckleNoise extends Corruption<SpeckleNoise.Params> {
    private static final double[] SMALL = {0.06, 0.1, 0.12, 0.16, 0.2};
    private static final double[] LARGE = {0.15, 0.2, 0.35, 0.45, 0.6};

    /** @param sigma the standard deviation of the relative noise */
    public record Params(double sigma) {
        public Params {
            if (!(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("speckle-noise: expected a finite sigma >= 0, got " + sigma);
            }
        }
    }

    @Override
    public String name() {
        return "speckle-noise";
    }

    @Override
    public Family family() {
        return Family.NOISE;
    }

    @Override
    public Suite suite() {
        return Suite.EXTRA;
    }

    @Override
    public String describe() {
        return "multiplies every value by 1 plus normal noise (ImageNet-C extra)";
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
            dst[i] = p.sigma() == 0 ? src[i] : (float) (src[i] + src[i] * (p.sigma() * rng.nextGaussian()));
        }
    }
}
