package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * DeepLiftShap, DeepLift averaged over a distribution of references (Lundberg and Lee, "A Unified Approach to
 * Interpreting Model Predictions", NeurIPS 2017, section 4.2; Captum's {@code DeepLiftShap}):
 * {@code A = (1/R) sum_k DeepLift(x; b_k)}, an approximation of SHAP values with the references as background.
 * Summation-to-delta holds on average: each sample's delta {@code sum(A) - (S_t(x) - (1/R) sum_k S_t(b_k))} is
 * reported. Captum takes the references from the caller (typically training images); fovea draws {@code references}
 * images (default 10) uniformly in the pixel box from the seed, the same for every sample ({@link #references}).
 * {@code N * R} DeepLift pairs in chunks of {@code batchSize}. Engine models only (see {@link DeepLift}). Signed. Input
 * and maps {@code [N,C,H,W]}.
 */
final class DeepLiftShap extends Attribution {
    /** The number of uniform-noise {@code references} drawn from the seed, 1 to {@value #MAX}. */
    public record Options(int references) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(10);
        public static final int MAX = 1000;

        public Options {
            checkReferences(references);
        }
    }

    static void checkReferences(int references) {
        if (references < 1 || references > Options.MAX) {
            throw new InvalidOptionException("references", "references must be in [1, " + Options.MAX + "], got " + references);
        }
    }

    /** {@code r} reference images {@code [r,C,H,W]} drawn uniformly in {@code bounds} from {@code seed}, independent of the samples. */
    static Tensor references(int r, long seed, Classifier model) {
        int per = model.inputShape().size();
        float[] b = model.bounds();
        float[] d = new float[r * per];
        for (int k = 0; k < r; k++) {
            SplittableRandom rnd = new SplittableRandom(Rows.seed(seed, -2, k));
            for (int j = 0; j < per; j++) {
                d[k * per + j] = (float) (b[0] + (b[1] - b[0]) * rnd.nextDouble());
            }
        }
        return new Tensor(model.inputShape().withBatch(r), d);
    }

    @Override
    public String name() {
        return "deep-lift-shap";
    }

    @Override
    public String describe() {
        return "DeepLiftShap, Lundberg & Lee 2017: DeepLift averaged over --references uniform-noise references from the seed; "
                + "reports the mean summation-to-delta error. Engine models only. Signed, [N,C,H,W].";
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
        return List.of(OptionInfo.of("references", "int", Options.DEFAULTS.references(), "reference images drawn uniformly in the pixel box"));
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.integer("references", Options.DEFAULTS.references()));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        RulePasses.of(model, name());
        return options;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int r = ((Options) cfg.options()).references();
        Tensor refs = references(r, cfg.seed(), model);
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        double[] sum = new double[n * per];
        double[] scores = new double[n];
        double[] refMean = new double[n];
        DeepLift.pairs(model, name(), Rows.count(n, r, "references"), cfg, p -> targets[p / r], (p, d, off) -> Rows.copy(x, p / r, d, off),
                (p, d, off) -> Rows.copy(refs, p % r, d, off), (p, s, sr, a, off) -> {
                    int i = p / r;
                    for (int j = 0; j < per; j++) {
                        sum[i * per + j] += a[off + j];
                    }
                    scores[i] = s;
                    refMean[i] += sr / r;
                });
        Tensor out = Tensor.zeros(x.shape());
        double[] deltas = new double[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < per; j++) {
                out.data()[i * per + j] = (float) (sum[i * per + j] / r);
                total += out.data()[i * per + j];
            }
            deltas[i] = total - (scores[i] - refMean[i]);
        }
        return new AttributionResult(out, scores, deltas, null);
    }

    @Override
    public String unavailableFor(Classifier model) {
        return RulePasses.unavailable(model);
    }
}
