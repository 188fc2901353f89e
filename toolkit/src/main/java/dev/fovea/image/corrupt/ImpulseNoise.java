package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Impulse noise (ImageNet-C, noise): salt and pepper as scikit-image's {@code random_noise(mode='s&p')} defines it
 * (version 0.19): every value is, independently, replaced with probability {@code amount}, and a replaced value
 * becomes 1 (salt) with probability {@code saltVsPepper}, else 0 (pepper). Channels are replaced independently, so
 * a colour pixel may turn pure red; a grayscale image is treated as one channel (the {@code imagecorruptions}
 * package has no rule of its own for it).
 *
 * <p>Amount per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.01, 0.02, 0.03, 0.05, 0.07; ImageNet-C
 * ({@code make_imagenet_c.py}) 0.03, 0.06, 0.09, 0.17, 0.27; salt versus pepper 0.5 throughout (scikit-image's
 * default). Identity: amount 0.
 *
 * <p>Deviation: scikit-image before 0.19 (which made the published data sets) drew {@code ceil(amount * size *
 * 0.5)} positions with replacement for salt and as many for pepper, so its replaced fraction was slightly below
 * {@code amount}; this follows the per-value definition of 0.19 and later.
 */
public final class ImpulseNoise extends Corruption<ImpulseNoise.Params> {
    private static final double[] SMALL = {0.01, 0.02, 0.03, 0.05, 0.07};
    private static final double[] LARGE = {0.03, 0.06, 0.09, 0.17, 0.27};
    private static final double SALT_VS_PEPPER = 0.5;

    /**
     * @param amount       the probability that a value is replaced, in {@code [0,1]}
     * @param saltVsPepper the probability that a replaced value becomes 1 rather than 0, in {@code [0,1]}
     */
    public record Params(double amount, double saltVsPepper) {
        public Params {
            if (!(amount >= 0 && amount <= 1) || !(saltVsPepper >= 0 && saltVsPepper <= 1)) {
                throw new IllegalArgumentException("impulse-noise: expected amount and saltVsPepper in [0,1], got "
                        + amount + " and " + saltVsPepper);
            }
        }
    }

    @Override
    public String name() {
        return "impulse-noise";
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
        return "sets a random fraction of the values to 0 or 1, salt and pepper (ImageNet-C, scikit-image)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity),
                SALT_VS_PEPPER);
    }

    @Override
    public Params identity() {
        return new Params(0, SALT_VS_PEPPER);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double amount = p.amount();
        for (int i = 0; i < src.length; i++) {
            // scikit-image's Bernoulli draw: u <= p, never true at p = 0
            if (amount > 0 && rng.nextDouble() <= amount) {
                dst[i] = p.saltVsPepper() > 0 && rng.nextDouble() <= p.saltVsPepper() ? 1f : 0f;
            } else {
                dst[i] = src[i];
            }
        }
    }
}
