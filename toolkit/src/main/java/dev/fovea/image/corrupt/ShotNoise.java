package dev.fovea.image.corrupt;

import org.apache.commons.math3.distribution.PoissonDistribution;

import java.util.random.RandomGenerator;

/**
 * Shot noise (ImageNet-C, noise): photon counting. Each value {@code x} becomes {@code Poisson(x * photons) /
 * photons}, clipped to {@code [0,1]}, so darker values are noisier relative to their size and the variance of the
 * change is {@code x / photons}. Values are independent, channels too; a grayscale image is treated as one channel
 * (the {@code imagecorruptions} package has no rule of its own for it).
 *
 * <p>Photons per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 500, 250, 100, 75, 50; ImageNet-C
 * ({@code make_imagenet_c.py}) 60, 25, 12, 5, 3. Identity: infinitely many photons (the noiseless limit), which
 * copies the image.
 *
 * <p>The Poisson draws are Apache Commons Math's {@link PoissonDistribution} (multiplication method below a mean of
 * 40, Devroye's rejection method, <i>Non-Uniform Random Variate Generation</i>, 1986, from there on), driven by the
 * image's own generator, so they are exact Poisson variates at every mean; NumPy draws the same distribution with
 * another algorithm (Hörmann's PTRS), so the numbers differ from the published generator's but not their law.
 */
public final class ShotNoise extends Corruption<ShotNoise.Params> {
    private static final double[] SMALL = {500, 250, 100, 75, 50};
    private static final double[] LARGE = {60, 25, 12, 5, 3};

    /** @param photons the expected count at value 1; larger is less noisy, {@code +Infinity} adds none */
    public record Params(double photons) {
        public Params {
            if (!(photons > 0)) {
                throw new IllegalArgumentException("shot-noise: expected photons > 0, got " + photons);
            }
        }
    }

    @Override
    public String name() {
        return "shot-noise";
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
        return "replaces every value by a Poisson photon count over the photons at full value (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity));
    }

    @Override
    public Params identity() {
        return new Params(Double.POSITIVE_INFINITY);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double photons = p.photons();
        if (Double.isInfinite(photons)) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        MathRandom random = new MathRandom(rng);
        for (int i = 0; i < src.length; i++) {
            double mean = src[i] * photons;
            long count = mean == 0 ? 0 : new PoissonDistribution(random, mean,
                    PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
            dst[i] = (float) (count / photons);
        }
    }

    /** Commons Math's generator interface over a {@link RandomGenerator}; it cannot be reseeded. */
    private static final class MathRandom implements org.apache.commons.math3.random.RandomGenerator {
        private final RandomGenerator rng;

        MathRandom(RandomGenerator rng) {
            this.rng = rng;
        }

        @Override
        public void setSeed(int seed) {
            throw new UnsupportedOperationException("shot-noise: the generator is seeded per image");
        }

        @Override
        public void setSeed(int[] seed) {
            throw new UnsupportedOperationException("shot-noise: the generator is seeded per image");
        }

        @Override
        public void setSeed(long seed) {
            throw new UnsupportedOperationException("shot-noise: the generator is seeded per image");
        }

        @Override
        public void nextBytes(byte[] bytes) {
            rng.nextBytes(bytes);
        }

        @Override
        public int nextInt() {
            return rng.nextInt();
        }

        @Override
        public int nextInt(int n) {
            return rng.nextInt(n);
        }

        @Override
        public long nextLong() {
            return rng.nextLong();
        }

        @Override
        public boolean nextBoolean() {
            return rng.nextBoolean();
        }

        @Override
        public float nextFloat() {
            return rng.nextFloat();
        }

        @Override
        public double nextDouble() {
            return rng.nextDouble();
        }

        @Override
        public double nextGaussian() {
            return rng.nextGaussian();
        }
    }
}
