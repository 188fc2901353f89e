package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The shared loop of SmoothGrad and VarGrad: gradients of the target's score at {@code samples} noisy copies
 * {@code x + sigma * e}, {@code e ~ N(0, I)}, {@code sigma = noise * (hi - lo)} of the pixel range; the noise is not
 * clipped to the pixel box (as in the paper and Captum). Each copy's noise comes from a seed derived from the
 * configured seed, the sample and the copy, so results do not depend on the chunking. Per sample the running mean
 * and variance of the gradients are kept (Welford, in double), never all copies at once. Options: {@link Options}.
 */
public abstract class NoiseTunnel extends Attribution {
    /**
     * The options of SmoothGrad and VarGrad: {@code samples} noisy copies per sample (1 to {@value #MAX_SAMPLES}) and the
     * {@code noise} standard deviation as a fraction of the pixel range ({@code >= 0}).
     */
    public record Options(int samples, double noise) implements AttributionOptions {
        /** 32 copies at noise 0.15 (the paper finds 10-20% best). */
        public static final Options DEFAULTS = new Options(32, 0.15);
        /** The most noisy copies per sample: 10,000 (the paper uses 50). */
        public static final int MAX_SAMPLES = 10_000;

        public Options {
            if (samples < 1) {
                throw new InvalidOptionException("samples", "samples must be >= 1, got " + samples);
            }
            if (samples > MAX_SAMPLES) {
                throw new InvalidOptionException("samples", "samples must be at most " + MAX_SAMPLES + ", got " + samples);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new InvalidOptionException("noise", "noise must be >= 0, got " + fmt(noise));
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }

        public Options withSamples(int v) {
            return new Options(v, noise);
        }

        public Options withNoise(double v) {
            return new Options(samples, v);
        }
    }

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

    NoiseTunnel() {
    }

    @Override
    public Kind kind() {
        return Kind.INPUT;
    }

    @Override
    public boolean manyRowsPerSample() {
        return true;
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(OptionInfo.of("samples", "int", Options.DEFAULTS.samples(), "noisy copies per sample"),
                OptionInfo.of("noise", "double", Options.DEFAULTS.noise(), "standard deviation of the noise, as a fraction of the pixel range"));
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.integer("samples", Options.DEFAULTS.samples()), v.real("noise", Options.DEFAULTS.noise()));
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        return compute(model, x, targets, cfg, seeded(cfg.seed()));
    }

    final AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg, Noise noise) {
        Options opts = (Options) cfg.options();
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        int m = opts.samples();
        float[] b = model.bounds();
        float sigma = (float) (opts.noise() * (b[1] - b[0]));
        double[] mean = new double[n * per];
        double[] m2 = new double[n * per];
        float[] e = new float[per];
        Rows.gradients(model, Rows.count(n, m, "samples"), cfg, r -> targets[r / m], (r, d, o) -> {
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
        return new AttributionResult(out, Scores.of(model, x, targets, cfg.score(), cfg.batchSize()), null, null);
    }
}
