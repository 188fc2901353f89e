package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Gamma (power-law) correction, {@code x^gamma} on every value, with no gain (torchvision's
 * {@code adjust_gamma(img, gamma, gain=1)}): above 1 it darkens the mid-tones, below 1 it lightens them, and black
 * and white stay. With {@code eitherWay} each image gets {@code gamma} or {@code 1 / gamma} by a fair coin.
 *
 * <p>Gamma per severity 1 to 5, either way: 1.2, 1.4, 1.7, 2.0, 2.5 (fovea's table: no benchmark publishes one;
 * display gammas lie around 1.8 to 2.5, Poynton, "Digital Video and HD", 2012). It does not depend on the image
 * size. Identity: gamma 1.
 */
public final class Gamma extends Corruption<Gamma.Params> {
    private static final double[] GAMMA = {1.2, 1.4, 1.7, 2.0, 2.5};

    /**
     * @param gamma     the exponent, positive
     * @param eitherWay whether each image uses {@code 1 / gamma} instead with probability 1/2
     */
    public record Params(double gamma, boolean eitherWay) {
        public Params {
            if (!(gamma > 0) || !Double.isFinite(gamma)) {
                throw new IllegalArgumentException("gamma: expected a positive finite exponent, got " + gamma);
            }
        }
    }

    @Override
    public String name() {
        return "gamma";
    }

    @Override
    public Family family() {
        return Family.COLOUR;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "raises every value to a power, darker or lighter (gamma correction)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(GAMMA, severity), true);
    }

    @Override
    public Params identity() {
        return new Params(1, false);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double g = p.eitherWay() && rng.nextBoolean() ? 1 / p.gamma() : p.gamma();
        for (int i = 0; i < src.length; i++) {
            dst[i] = g == 1 ? src[i] : (float) Math.pow(src[i], g);
        }
    }
}
