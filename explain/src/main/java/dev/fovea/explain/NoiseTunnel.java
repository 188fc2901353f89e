package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The shared loop of SmoothGrad and VarGrad: gradients of the target's score at {@code samples} noisy copies
 * {@code x + sigma * e}, {@code e ~ N(0, I)}, {@code sigma = noise * (hi - lo)} of the pixel range; the noise is not
 * clipped to the pixel box (as in the paper and Captum). Each copy's noise comes from a seed derived from the
 * configured seed, the sample and the copy, so results do not depend on the chunking. Per sample the running mean
 * and variance of the gradients are kept (Welford, in double), never all copies at once.
 */
abstract class NoiseTunnel extends Attribution {
    /** Standard normal noise for copy {@code k} of sample {@code i}: {@code per} values into {@code dst} at {@code off}. */
    interface Noise {
        void fill(int i, int k, float[] dst, int off, int per);
    }

    /** Gaussian noise from the configured seed. */
    static Noise seeded(long seed) {
        return (i, k, dst, off, per) -> {
            SplittableRandom r = new SplittableRandom(Rows.seed(seed, i, k));
            for (int j = 0; j < per; j++) {
                dst[off + j] = (float) r.nextGaussian();
            }
        };
    }

    /** The map from the per-sample mean and (population) variance of the gradients. */
    abstract float combine(double mean, double variance);

    @Override
    public Kind kind() {
        return Kind.INPUT;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        return compute(model, x, targets, cfg, seeded(cfg.seed()));
    }

    final AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg, Noise noise) {
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        int m = cfg.samples();
        float[] b = model.bounds();
        float sigma = (float) (cfg.noise() * (b[1] - b[0]));
        double[] mean = new double[n * per];
        double[] m2 = new double[n * per];
        float[] e = new float[per];
        Rows.gradients(model, n * m, cfg, r -> targets[r / m], (r, d, o) -> {
            int i = r / m;
            noise.fill(i, r % m, e, 0, per);
            for (int j = 0; j < per; j++) {
                d[o + j] = x.data()[i * per + j] + sigma * e[j];
            }
        }, (r, s, g, o) -> {
            int i = r / m;
            int count = r % m + 1;
            for (int j = 0; j < per; j++) {
                int at = i * per + j;
                double delta = g[o + j] - mean[at];
                mean[at] += delta / count;
                m2[at] += delta * (g[o + j] - mean[at]);
            }
        });
        Tensor out = Tensor.zeros(x.shape());
        for (int at = 0; at < n * per; at++) {
            out.data()[at] = combine(mean[at], m2[at] / m);
        }
        return new AttributionResult(out, Scores.of(model, x, targets, cfg.score(), cfg.batch()), null, null);
    }
}
