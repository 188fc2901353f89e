package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * GradientShap (Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017; Captum's
 * {@code GradientShap}, expected gradients): for each of {@code draws} random points per sample a reference
 * {@code b} drawn from the references, {@code a ~ U(0,1)} and Gaussian noise {@code e} of standard deviation
 * {@code stdevs} (pixel units), {@code A = mean over draws of (x + e - b) * dS_t/dx (b + a (x + e - b))}: Integrated
 * Gradients with the path and the reference sampled, an estimate of SHAP values. Defaults as Captum's:
 * {@code draws} 5 ({@code n_samples}), {@code stdevs} 0; Captum takes the references from the caller, fovea draws
 * {@code references} (default 10) uniformly in the pixel box from the seed (as {@link DeepLiftShap}). Every draw of
 * a sample comes from a seed derived from the configured seed, the sample and the draw, so results do not depend on
 * the chunking. No completeness delta (it holds only in expectation). Any backend. Signed. Input and maps
 * {@code [N,C,H,W]}.
 */
final class GradientShap extends Attribution {
    /** {@code references} (1 to 1000), {@code draws} per sample (1 to 10,000) and the noise {@code stdevs} ({@code >= 0}). */
    public record Options(int references, int draws, double stdevs) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(10, 5, 0.0);
        public static final int MAX_DRAWS = 10_000;

        public Options {
            DeepLiftShap.checkReferences(references);
            if (draws < 1 || draws > MAX_DRAWS) {
                throw new InvalidOptionException("draws", "draws must be in [1, " + MAX_DRAWS + "], got " + draws);
            }
            if (!(stdevs >= 0) || !Double.isFinite(stdevs)) {
                throw new InvalidOptionException("stdevs", "stdevs must be >= 0, got " + stdevs);
            }
        }
    }

    @Override
    public String name() {
        return "gradient-shap";
    }

    @Override
    public String describe() {
        return "GradientShap, Lundberg & Lee 2017: (x + noise - b) * gradient at a random point between a random reference b and x "
                + "(--draws, --stdevs, --references), averaged. Signed, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
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
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.of("references", "int", d.references(), "reference images drawn uniformly in the pixel box"),
                OptionInfo.of("draws", "int", d.draws(), "random points per sample"),
                OptionInfo.of("stdevs", "double", d.stdevs(), "standard deviation of the Gaussian noise added to the input, in pixel units"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.integer("references", d.references()), v.integer("draws", d.draws()), v.real("stdevs", d.stdevs()));
    }

    /** Draw {@code k} of sample {@code i}: its reference {@code b} and {@code a}; {@code x + e - b} into {@code diff}. */
    private record Draw(int reference, double alpha) {
        static Draw of(long seed, int i, int k, Tensor x, Tensor refs, double stdevs, float[] diff) {
            int per = diff.length;
            SplittableRandom r = new SplittableRandom(Rows.seed(seed, i, k));
            int b = r.nextInt(refs.dim(0));
            double a = r.nextDouble();
            for (int j = 0; j < per; j++) {
                double e = stdevs == 0 ? 0 : stdevs * r.nextGaussian();
                diff[j] = (float) (x.data()[i * per + j] + e - refs.data()[b * per + j]);
            }
            return new Draw(b, a);
        }
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        Options o = (Options) cfg.options();
        Tensor refs = DeepLiftShap.references(o.references(), cfg.seed(), model);
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        int m = o.draws();
        double[] sum = new double[n * per];
        float[] diff = new float[per];
        Rows.gradients(model, Rows.count(n, m, "draws"), cfg, r -> targets[r / m], (r, d, off) -> {
            int i = r / m;
            Draw w = Draw.of(cfg.seed(), i, r % m, x, refs, o.stdevs(), diff);
            int b = w.reference() * per;
            for (int j = 0; j < per; j++) {
                d[off + j] = (float) (refs.data()[b + j] + w.alpha() * diff[j]);
            }
        }, (r, s, g, off) -> {
            int i = r / m;
            Draw.of(cfg.seed(), i, r % m, x, refs, o.stdevs(), diff);
            for (int j = 0; j < per; j++) {
                sum[i * per + j] += (double) diff[j] * g[off + j] / m;
            }
        });
        Tensor out = Tensor.zeros(x.shape());
        for (int at = 0; at < n * per; at++) {
            out.data()[at] = (float) sum[at];
        }
        return new AttributionResult(out, Scores.of(model, x, targets, cfg.score(), cfg.batchSize()), null, null);
    }
}
