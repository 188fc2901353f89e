package dev.fovea.train;

import dev.fovea.kernels.Parallel;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Gaussian data augmentation, the training that makes a base classifier worth smoothing (Cohen, Rosenfeld &amp;
 * Kolter, "Certified adversarial robustness via randomized smoothing", ICML 2019, section 3.3 and their
 * {@code train.py}): every training image is replaced by {@code x + delta}, {@code delta ~ N(0, sigma^2 I)}, drawn
 * afresh at each step, so that the network learns to classify the noisy images the smoothed classifier
 * {@code g(x) = argmax_c P(f(x + delta) = c)} feeds it. Train with the {@code sigma} you will certify with.
 *
 * <p>As in the paper the noise is drawn in pixel space (images in {@code [0,1]}), before the network's own
 * normalisation, and the result is <em>not</em> clipped to the pixel box: the smoothed classifier's noise is not
 * clipped either, and the certificate's Gaussian is the unclipped one. Image {@code i} of batch {@code step} draws
 * from a generator seeded by the run's seed, the step and {@code i} (salted apart from {@link Augmentation}'s
 * draws), so a seed fixes the whole training whatever the thread count.
 *
 * @param sigma the noise's standard deviation in pixel units, positive and finite (the paper: 0.12 to 1.00)
 */
public record GaussianAugmentation(double sigma) {
    /** Keeps these draws apart from {@link Augmentation}'s, which seed from the same training seed. */
    private static final long SALT = 0x6A09E667F3BCC909L;

    public GaussianAugmentation {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new InvalidOptionException("sigma", "sigma must be a positive number (pixel units), got " + sigma);
        }
    }

    /** The hook that adds noise to each batch, seeded from {@code seed} and the step. */
    public BatchTransform transform(long seed) {
        return (net, x, y, step) -> apply(x, seed, step);
    }

    /**
     * {@code x + delta} for batch {@code x} ({@code [N,...]}, pixels) of training step {@code step}; any number of
     * rows per label (AugMix's copies each get their own noise). The input is not changed.
     */
    public Tensor apply(Tensor x, long seed, long step) {
        if (x.shape().rank() < 2) {
            throw new ShapeException("noise: expected images [N,C,H,W], got " + x.shape());
        }
        int n = x.dim(0);
        int size = x.shape().sizeFrom(1);
        float[] in = x.data();
        float[] out = new float[in.length];
        long base = mix(mix(seed + SALT) + step);
        Parallel.forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                SplittableRandom rng = new SplittableRandom(base + i);
                for (int j = i * size, end = j + size; j < end; j++) {
                    out[j] = (float) (in[j] + sigma * rng.nextGaussian());
                }
            }
        });
        return new Tensor(x.shape(), out);
    }

    /** The SplitMix64 finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
