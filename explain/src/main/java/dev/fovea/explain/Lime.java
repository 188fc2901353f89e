package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
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
 * LIME of Ribeiro, Singh and Guestrin, "Why Should I Trust You?: Explaining the Predictions of Any Classifier" (KDD
 * 2016), with Captum's {@code Lime} defaults: over the {@code K} superpixels of each image ({@link Superpixels}),
 * {@code samples} binary vectors {@code z} are drawn, each feature on with probability 1/2; each gives an input
 * {@code x(z)} (features off at the baseline value) and its score {@code S_t(x(z))}, weighted by the exponential
 * kernel of the cosine distance in input space, {@code pi(z) = exp(-d^2 / (2 kernelWidth^2))},
 * {@code d = 1 - cos(x, x(z))}; a weighted linear surrogate {@code g(z) = b0 + sum_k b_k z_k} is fitted to the
 * scores ({@link LinearSurrogate}: Captum's default {@code SkLearnLasso(alpha=0.01)}, or ridge, or least squares),
 * and each pixel of feature {@code k} gets {@code b_k}.
 *
 * <p>Defaults: 25 samples (Captum's {@code n_samples}), kernel width 1, lasso with alpha 0.01, baseline 0, SLIC with
 * scikit-image's 100 segments and compactness 10 (Captum's default mask is every input value; superpixels are what
 * its documentation recommends for images). With fewer samples than features the surrogate is underdetermined: the
 * lasso picks few features, least squares the least-norm fit; more samples give steadier maps. Draws follow the
 * seed and the sample's position alone. Signed. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]}; {@code samples}
 * model rows per sample, in chunks of {@code batchSize}.
 */
public final class Lime extends Attribution {
    /** The linear model fitted to the scores ({@link LinearSurrogate}). */
    public enum Surrogate {
        /** Captum's default, {@code SkLearnLasso}: L1 penalty {@code alpha}. */
        LASSO,
        /** {@code SkLearnRidge}: L2 penalty {@code alpha}. */
        RIDGE,
        /** {@code SkLearnLinearRegression}: weighted least squares. */
        LINEAR;

        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    /** The cap on samples: 10,000 per image. */
    public static final int MAX_SAMPLES = 10_000;

    /** LIME's options: the features, then {@code samples} (1 to {@value #MAX_SAMPLES}), the kernel width (finite, > 0), the surrogate and its {@code alpha} (finite, >= 0). */
    public record Options(@JsonUnwrapped Superpixels.Options superpixels, int samples, @JsonProperty("kernel_width") double kernelWidth,
                          Surrogate surrogate, double alpha) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(Superpixels.Options.DEFAULTS, 25, 1.0, Surrogate.LASSO, 0.01);

        public Options {
            if (superpixels == null) {
                throw new IllegalArgumentException("lime: expected the superpixel options, got none");
            }
            if (samples < 1 || samples > MAX_SAMPLES) {
                throw new InvalidOptionException("samples", "samples must be in [1," + MAX_SAMPLES + "], got " + samples);
            }
            if (!(kernelWidth > 0) || !Double.isFinite(kernelWidth)) {
                throw new InvalidOptionException("kernelWidth", "kernelWidth must be finite and > 0, got " + kernelWidth);
            }
            if (surrogate == null) {
                throw new InvalidOptionException("surrogate", "surrogate: expected one of lasso, ridge, linear, got none");
            }
            if (!(alpha >= 0) || !Double.isFinite(alpha)) {
                throw new InvalidOptionException("alpha", "alpha must be finite and >= 0, got " + alpha);
            }
        }

        public Options withSuperpixels(Superpixels.Options s) {
            return new Options(s, samples, kernelWidth, surrogate, alpha);
        }

        public Options withSamples(int s) {
            return new Options(superpixels, s, kernelWidth, surrogate, alpha);
        }

        public Options withSurrogate(Surrogate k, double a) {
            return new Options(superpixels, samples, kernelWidth, k, a);
        }
    }

    Lime() {
    }

    @Override
    public String name() {
        return "lime";
    }

    @Override
    public String describe() {
        return "LIME, Ribeiro et al. 2016 (Captum's defaults): a weighted linear fit to the scores of random superpixel subsets "
                + "(-O samples, kernelWidth, surrogate, alpha). Signed, [N,1,H,W].";
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
        Options d = Options.DEFAULTS;
        List<OptionInfo> out = new ArrayList<>(Superpixels.infos());
        out.add(OptionInfo.of("samples", "int", d.samples(), "random subsets of the superpixels evaluated per image"));
        out.add(OptionInfo.of("kernelWidth", "double", d.kernelWidth(), "width of the exponential kernel on the cosine distance"));
        out.add(OptionInfo.choice("surrogate", Surrogate.class, d.surrogate(), "the linear model fitted"));
        out.add(OptionInfo.of("alpha", "double", d.alpha(), "lasso or ridge penalty"));
        return out;
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(Superpixels.parse(v), v.integer("samples", d.samples()), v.real("kernelWidth", d.kernelWidth()),
                v.choice("surrogate", Surrogate.class, d.surrogate()), v.real("alpha", d.alpha()));
    }

    @Override
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        Options o = (Options) options;
        Map<String, String> out = Superpixels.unused(given, o.superpixels(), super.unused(given, options));
        if (o.surrogate() == Surrogate.LINEAR && given.contains("alpha")) {
            out.put("alpha", "read only with surrogate lasso or ridge");
        }
        return out;
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        ((Options) options).superpixels().check(x);
        return options;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        return compute(model, x, targets, cfg, (i, features, rows) -> {
            SplittableRandom rng = new SplittableRandom(Rows.seed(cfg.seed(), i, 0));
            boolean[][] z = new boolean[rows][features];
            for (boolean[] row : z) {
                for (int k = 0; k < features; k++) {
                    row[k] = rng.nextDouble() < 0.5;
                }
            }
            return z;
        });
    }

    /** LIME on the feature vectors {@code draws} gives. */
    AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg, Coalitions draws) {
        Options o = (Options) cfg.options();
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batchSize());
        Tensor out = Tensor.zeros(kind().shape(x.shape()));
        float fill = (float) o.superpixels().baselineValue();
        float[] row = new float[per];
        for (int i = 0; i < n; i++) {
            Segments s = o.superpixels().segment(x, i);
            boolean[][] z = draws.draw(i, s.count(), o.samples());
            double[] y = Superpixels.scores(model, x, i, targets[i], s.labels(), z, fill, cfg);
            double[] w = new double[z.length];
            for (int r = 0; r < z.length; r++) {
                Superpixels.fill(x, i, s.labels(), z[r], fill, row, 0);
                double d = 1 - cosine(x.data(), i * per, row, per);
                w[r] = Math.exp(-(d * d) / (2 * o.kernelWidth() * o.kernelWidth()));
            }
            Superpixels.spread(out, i, s.labels(), LinearSurrogate.fit(z, y, w, o.surrogate(), o.alpha()));
        }
        return new AttributionResult(out, scores, null, null);
    }

    /** {@code a . b / max(|a| |b|, 1e-8)}, as torch's cosine similarity. */
    static double cosine(float[] a, int off, float[] b, int n) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int j = 0; j < n; j++) {
            ab += (double) a[off + j] * b[j];
            aa += (double) a[off + j] * a[off + j];
            bb += (double) b[j] * b[j];
        }
        return ab / Math.max(Math.sqrt(aa) * Math.sqrt(bb), 1e-8);
    }
}
