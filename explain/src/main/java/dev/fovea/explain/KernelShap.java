package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.fovea.explain.segment.Segments;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * KernelSHAP of Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions" (NeurIPS 2017), as Captum's
 * {@code KernelShap} computes it over the {@code M} superpixels of each image ({@link Superpixels}): Shapley values
 * are the solution of a weighted linear regression of the scores {@code S_t(x(z))} on coalitions {@code z}, with
 * the Shapley kernel {@code pi(z) = (M-1) / (C(M,|z|) |z| (M-|z|))}. As Captum (and shap) do, the kernel is sampled
 * rather than weighted: the first two coalitions are all features and none, weighted 10^6 (the kernel is infinite
 * there, which pins {@code g(1) = S_t(x)} and {@code g(0) = S_t(baseline)}); each further one has
 * {@code |z| = k} with probability proportional to {@code (M-1) / (k (M-k))}, {@code k = 1..M-1}, its features a
 * uniform random subset of that size, weight 1; the surrogate is least squares with an intercept
 * ({@link LinearSurrogate.Kind#LINEAR}, Captum's {@code SkLearnLinearRegression}), least-norm when there are fewer
 * coalitions than features. Each pixel of feature {@code k} gets {@code phi_k}; on a model additive over the
 * features the values are exact, and {@code sum_k phi_k ~ S_t(x) - S_t(baseline)} always.
 *
 * <p>Defaults: 25 samples, counting the two end points (Captum's {@code n_samples}), baseline 0, SLIC with
 * scikit-image's 100 segments and compactness 10. With a single feature only the two end points are drawn, repeated.
 * Draws follow the seed and the sample's position alone. Signed. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]};
 * {@code samples} model rows per sample, in chunks of {@code batchSize}.
 */
public final class KernelShap extends Attribution {
    /** The weight of the coalitions of all features and of none. */
    static final double END_WEIGHT = 1e6;

    /** KernelSHAP's options: the features and {@code samples} (1 to {@value Lime#MAX_SAMPLES}). */
    public record Options(@JsonUnwrapped Superpixels.Options superpixels, int samples) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(Superpixels.Options.DEFAULTS, 25);

        public Options {
            if (superpixels == null) {
                throw new IllegalArgumentException("kernel-shap: expected the superpixel options, got none");
            }
            if (samples < 1 || samples > Lime.MAX_SAMPLES) {
                throw new InvalidOptionException("samples", "samples must be in [1," + Lime.MAX_SAMPLES + "], got " + samples);
            }
        }

        public Options withSuperpixels(Superpixels.Options s) {
            return new Options(s, samples);
        }

        public Options withSamples(int s) {
            return new Options(superpixels, s);
        }
    }

    KernelShap() {
    }

    @Override
    public String name() {
        return "kernel-shap";
    }

    @Override
    public String describe() {
        return "KernelSHAP, Lundberg & Lee 2017 (Captum's sampling): Shapley values of the superpixels by weighted regression on "
                + "coalitions (-O samples). Signed, [N,1,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.PIXEL;
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
        List<OptionInfo> out = new ArrayList<>(Superpixels.infos());
        out.add(OptionInfo.of("samples", "int", Options.DEFAULTS.samples(), "coalitions evaluated per image, the two end points included"));
        return out;
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(Superpixels.parse(v), v.integer("samples", Options.DEFAULTS.samples()));
    }

    @Override
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        return Superpixels.unused(given, ((Options) options).superpixels(), super.unused(given, options));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        ((Options) options).superpixels().check(x);
        return options;
    }

    /** Captum's coalitions: all, none, then sizes drawn by the Shapley kernel and uniform subsets of that size. */
    static boolean[][] draw(long seed, int features, int rows) {
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[][] z = new boolean[rows][features];
        double[] cumulative = new double[Math.max(features - 1, 0)];
        double total = 0;
        for (int k = 1; k < features; k++) {
            total += (features - 1.0) / ((double) k * (features - k));
            cumulative[k - 1] = total;
        }
        int[] idx = new int[features];
        for (int r = 0; r < rows; r++) {
            if (r < 2 || features == 1) {
                java.util.Arrays.fill(z[r], r % 2 == 0);
                continue;
            }
            double u = rng.nextDouble() * total;
            int k = 1;
            while (k < features - 1 && cumulative[k - 1] <= u) {
                k++;
            }
            for (int j = 0; j < features; j++) {
                idx[j] = j;
            }
            for (int j = 0; j < k; j++) {
                int pick = j + rng.nextInt(features - j);
                int t = idx[j];
                idx[j] = idx[pick];
                idx[pick] = t;
                z[r][idx[j]] = true;
            }
        }
        return z;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        return compute(model, x, targets, cfg, (i, features, rows) -> draw(Rows.seed(cfg.seed(), i, 0), features, rows));
    }

    /** KernelSHAP on the coalitions {@code draws} gives (weighted 10^6 when all or none, else 1). */
    AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg, Coalitions draws) {
        Options o = (Options) cfg.options();
        int n = x.dim(0);
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batchSize());
        Tensor out = Tensor.zeros(kind().shape(x.shape()));
        float fill = (float) o.superpixels().baselineValue();
        for (int i = 0; i < n; i++) {
            Segments s = o.superpixels().segment(x, i);
            boolean[][] z = draws.draw(i, s.count(), o.samples());
            double[] y = Superpixels.scores(model, x, i, targets[i], s.labels(), z, fill, cfg);
            double[] w = new double[z.length];
            for (int r = 0; r < z.length; r++) {
                int on = 0;
                for (boolean b : z[r]) {
                    on += b ? 1 : 0;
                }
                w[r] = on == 0 || on == s.count() ? END_WEIGHT : 1;
            }
            Superpixels.spread(out, i, s.labels(), LinearSurrogate.fit(z, y, w, Lime.Surrogate.LINEAR, 0));
        }
        return new AttributionResult(out, scores, null, null);
    }
}
