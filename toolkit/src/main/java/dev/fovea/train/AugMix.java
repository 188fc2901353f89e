package dev.fovea.train;

import dev.fovea.image.ImageOps;

import java.util.random.RandomGenerator;

/**
 * AugMix (Hendrycks et al., "AugMix: a simple data processing method to improve robustness and uncertainty", ICLR
 * 2020; {@code augment_and_mix} in {@code cifar.py} and the operations of {@code augmentations.py}): an image is
 * mixed with {@link #WIDTH} chains of random operations,
 *
 * <pre>
 *   w ~ Dirichlet(1, 1, 1),  m ~ Beta(1, 1),  chain_i = op_d(... op_1(x)),  d uniform in {1, 2, 3},
 *   x_augmix = (1 - m) x + m sum_i w_i chain_i
 * </pre>
 *
 * where each op is drawn uniformly from {@link Op} (the paper's list without the operations that overlap
 * ImageNet-C: contrast, colour, brightness, sharpness). The chains work on 8-bit images ({@code round(255 x)}) with
 * Pillow's definitions ({@link ImageOps}); the mix is taken on {@code [0,1]} pixels (the reference mixes normalised
 * tensors, the same since the weights sum to 1). An op's strength comes from the severity {@code s} (1 to 10, 3 in
 * the paper's CIFAR runs): {@code level ~ U(0.1, s)}, and an integer parameter {@code int(level * max / 10)}, a real
 * one {@code level * max / 10}, with the reference's maxima: rotate 30 degrees, shear 0.3, translate a third of the
 * image side (width for x, height for y), posterize by up to 4 bits, solarize threshold down by up to 256; the
 * geometric ones turn either way by a fair coin. Random draws follow the reference's order, from the generator given.
 */
public final class AugMix {
    /** Chains per image. */
    public static final int WIDTH = 3;
    /** Chains have 1 to this many operations, uniformly. */
    public static final int MAX_DEPTH = 3;
    /** The severity of the paper's CIFAR experiments ({@code --aug-severity}). */
    public static final int DEFAULT_SEVERITY = 3;

    /** The operations of {@code augmentations.augmentations}. */
    public enum Op {
        AUTOCONTRAST, EQUALIZE, POSTERIZE, ROTATE, SOLARIZE, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y;

        /** Applies this operation at {@code severity} to the 8-bit image {@code px} ({@code [C,H,W]}). */
        int[] apply(int[] px, int c, int h, int w, int severity, RandomGenerator rng) {
            return switch (this) {
                case AUTOCONTRAST -> ImageOps.autocontrast(px, c, h, w);
                case EQUALIZE -> ImageOps.equalize(px, c, h, w);
                case POSTERIZE -> ImageOps.posterize(px, 4 - (int) (level(severity, rng) * 4 / 10));
                case ROTATE -> ImageOps.rotate(px, c, h, w, signed((int) (level(severity, rng) * 30 / 10), rng));
                case SOLARIZE -> ImageOps.solarize(px, 256 - (int) (level(severity, rng) * 256 / 10));
                case SHEAR_X -> ImageOps.affine(px, c, h, w, new double[] {1, signed(level(severity, rng) * 0.3 / 10, rng), 0, 0, 1, 0});
                case SHEAR_Y -> ImageOps.affine(px, c, h, w, new double[] {1, 0, 0, signed(level(severity, rng) * 0.3 / 10, rng), 1, 0});
                case TRANSLATE_X -> ImageOps.affine(px, c, h, w, new double[] {1, 0, signed((int) (level(severity, rng) * (w / 3.0) / 10), rng), 0, 1, 0});
                case TRANSLATE_Y -> ImageOps.affine(px, c, h, w, new double[] {1, 0, 0, 0, 1, signed((int) (level(severity, rng) * (h / 3.0) / 10), rng)});
            };
        }

        /** {@code sample_level}: uniform in {@code [0.1, severity)}. */
        private static double level(int severity, RandomGenerator rng) {
            return 0.1 + (severity - 0.1) * rng.nextDouble();
        }

        private static double signed(double v, RandomGenerator rng) {
            return rng.nextDouble() > 0.5 ? -v : v;
        }
    }

    private final int severity;

    /** AugMix with the operations' {@code severity}, 1 to 10. */
    public AugMix(int severity) {
        if (severity < 1 || severity > 10) {
            throw new IllegalArgumentException("augmix: expected a severity from 1 to 10, got " + severity);
        }
        this.severity = severity;
    }

    public int severity() {
        return severity;
    }

    /** One AugMix image of {@code x} ({@code c x h x w} pixels in {@code [0,1]}, channel-major), in {@code [0,1]}. */
    public float[] augmentAndMix(float[] x, int c, int h, int w, RandomGenerator rng) {
        if (x.length != c * h * w) {
            throw new IllegalArgumentException("augmix: expected " + c * h * w + " pixels for " + c + "x" + h + "x" + w + ", got " + x.length);
        }
        double[] weights = new double[WIDTH];
        double sum = 0;
        for (int i = 0; i < WIDTH; i++) {
            weights[i] = -Math.log(1 - rng.nextDouble()); // Gamma(1) draws, normalised: Dirichlet(1, ..., 1)
            sum += weights[i];
        }
        double m = rng.nextDouble(); // Beta(1, 1)
        int[] bytes = ImageOps.toBytes(x);
        double[] mix = new double[x.length];
        Op[] ops = Op.values();
        for (int i = 0; i < WIDTH; i++) {
            int[] chain = bytes;
            int depth = 1 + rng.nextInt(MAX_DEPTH);
            for (int d = 0; d < depth; d++) {
                chain = ops[rng.nextInt(ops.length)].apply(chain, c, h, w, severity, rng);
            }
            double wi = weights[i] / sum;
            for (int k = 0; k < mix.length; k++) {
                mix[k] += wi * chain[k] / 255.0;
            }
        }
        float[] out = new float[x.length];
        for (int k = 0; k < out.length; k++) {
            double v = (1 - m) * x[k] + m * mix[k];
            out[k] = (float) Math.max(0, Math.min(1, v));
        }
        return out;
    }
}
