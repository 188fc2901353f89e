package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Contrast (ImageNet-C, digital): pulls every value towards its channel's mean over the image, {@code (x - mean) *
 * factor + mean}, clipped to {@code [0,1]}; the mean is taken per channel over height and width, in double
 * precision, as {@code np.mean(x, axis=(0, 1))} does. A grayscale image is one channel with one mean (the {@code
 * imagecorruptions} package has no rule of its own for it).
 *
 * <p>Factor per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.75, 0.5, 0.4, 0.3, 0.15; ImageNet-C
 * ({@code make_imagenet_c.py}) 0.4, 0.3, 0.2, 0.1, 0.05. Identity: factor 1.
 *
 * <p>Factor 1 copies the image: {@code (x - mean) * 1 + mean} can be one unit in the last place of a double away
 * from {@code x}, which a tiny float would keep, so that factor is taken apart rather than computed. Deterministic.
 */
public final class Contrast extends Corruption<Contrast.Params> {
    private static final double[] SMALL = {0.75, 0.5, 0.4, 0.3, 0.15};
    private static final double[] LARGE = {0.4, 0.3, 0.2, 0.1, 0.05};

    /** @param factor how much of each value's distance to the mean is kept (1 keeps the image, 0 flattens it) */
    public record Params(double factor) {
        public Params {
            if (!Double.isFinite(factor)) {
                throw new IllegalArgumentException("contrast: expected a finite factor, got " + factor);
            }
        }
    }

    @Override
    public String name() {
        return "contrast";
    }

    @Override
    public Family family() {
        return Family.DIGITAL;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "pulls every value towards its channel's mean (ImageNet-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity));
    }

    @Override
    public Params identity() {
        return new Params(1);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        double factor = p.factor();
        for (int ch = 0; ch < c; ch++) {
            int o = ch * plane;
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                sum += src[o + i];
            }
            double mean = sum / plane;
            for (int i = 0; i < plane; i++) {
                dst[o + i] = factor == 1 ? src[o + i] : (float) ((src[o + i] - mean) * factor + mean);
            }
        }
    }
}
