package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Integrated Gradients of Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks" (2017):
 * {@code A = (x - x') * int_0^1 dS_t/dx (x' + a (x - x')) da}, approximated by a quadrature rule with
 * {@code steps} points {@code a_k} and weights {@code w_k}: {@code A = (x - x') * sum_k w_k g(x' + a_k (x - x'))}.
 * Completeness says {@code sum(A) = S_t(x) - S_t(x')}; each sample's delta
 * {@code sum(A) - (S_t(x) - S_t(x'))} measures the quadrature error (it shrinks as {@code steps} grows).
 *
 * <p>Options ({@link Options}): {@code steps} (default 32), {@code rule} (default Gauss-Legendre, as Captum; the
 * paper uses the right Riemann sum with 20-300 steps), {@code baseline}: black (the lower bound, the paper's
 * choice), blurred (see {@link Baselines}), uniform noise (from the seed) or a given image ({@code baselineImage}).
 * The {@code steps} points of a sample are evaluated in chunks of {@code batchSize}. Signed. Input and maps
 * {@code [N,C,H,W]}.
 */
public final class IntegratedGradients extends Attribution {
    /** Integrated Gradients' reference input. */
    public enum Baseline {
        /** All pixels at the lower bound. */
        BLACK,
        /** The input blurred by a Gaussian of sigma 5 pixels (Sturmfels et al. 2020). */
        BLURRED,
        /** Uniform noise in the pixel box, drawn from the seed. */
        UNIFORM,
        /** A given image. */
        IMAGE;

        /** As callers write it: {@code black}. */
        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    /** Quadrature rules for the path integral {@code int_0^1 g(a) da} with {@code m} steps. */
    public enum Rule {
        /** Points {@code k/m}, {@code k = 0..m-1}, weights {@code 1/m}. */
        LEFT,
        /** Points {@code k/m}, {@code k = 1..m}, weights {@code 1/m}. */
        RIGHT,
        /** Points {@code (k + 1/2)/m}, weights {@code 1/m}. */
        MIDDLE,
        /** Points {@code k/(m-1)}, {@code k = 0..m-1}, end weights halved. */
        TRAPEZOID,
        /** Gauss-Legendre nodes and weights mapped to [0,1] (exact for polynomials of degree {@code 2m-1}). */
        GAUSS_LEGENDRE;

        /** As callers write it: {@code gauss-legendre}. */
        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    /**
     * Integrated Gradients' options: {@code steps} integration points ({@code >= 1}, {@code >= 2} for the
     * trapezoid rule, at most {@value #MAX_STEPS}), the quadrature {@code rule}, the {@code baseline}, and {@code baselineImage}, the reference
     * for {@link Baseline#IMAGE}: {@code [C,H,W]} shared by all samples or {@code [N,C,H,W]} one per sample, ignored
     * for the other baselines. The image may come after the rest (a front end reads it at the model's input size):
     * that an image baseline has one, of the input's shape, is checked against the input ({@link #resolve}).
     */
    public record Options(int steps, Rule rule, Baseline baseline, @JsonIgnore Tensor baselineImage) implements AttributionOptions {
        /** 32 Gauss-Legendre points from a black baseline. */
        public static final Options DEFAULTS = new Options(32, Rule.GAUSS_LEGENDRE, Baseline.BLACK, null);
        /** The most integration points: 10,000 (the paper finds 20 to 300 enough; Captum's default is 50). */
        public static final int MAX_STEPS = 10_000;

        public Options {
            if (steps < 1) {
                throw new InvalidOptionException("steps", "steps must be >= 1, got " + steps);
            }
            if (steps > MAX_STEPS) {
                throw new InvalidOptionException("steps", "steps must be at most " + MAX_STEPS + ", got " + steps);
            }
            if (rule == null) {
                throw new InvalidOptionException("rule", "rule: expected a quadrature rule, got none");
            }
            if (baseline == null) {
                throw new InvalidOptionException("baseline", "baseline: expected a baseline, got none");
            }
            if (rule == Rule.TRAPEZOID && steps < 2) {
                throw new InvalidOptionException("steps", "steps must be >= 2 for the trapezoid rule, got " + steps);
            }
            if (baselineImage != null && baselineImage.shape().rank() != 3 && baselineImage.shape().rank() != 4) {
                throw new InvalidOptionException("baselineImage", "baselineImage: expected [C,H,W] or [N,C,H,W], got " + baselineImage.shape());
            }
        }

        public Options withSteps(int v) {
            return new Options(v, rule, baseline, baselineImage);
        }

        public Options withRule(Rule v) {
            return new Options(steps, v, baseline, baselineImage);
        }

        /** Another baseline; {@code image} for {@link Baseline#IMAGE}, else {@code null}. */
        public Options withBaseline(Baseline v, Tensor image) {
            return new Options(steps, rule, v, image);
        }

        /** A per-sample baseline image {@code [N,C,H,W]} sliced to samples {@code [from, to)}. */
        @Override
        public Options forSamples(int from, int to) {
            return baselineImage != null && baselineImage.shape().rank() == 4 ? withBaseline(baseline, baselineImage.slice(from, to)) : this;
        }
    }

    IntegratedGradients() {
    }

    @Override
    public String name() {
        return "integrated-gradients";
    }

    @Override
    public String describe() {
        return "Integrated Gradients, Sundararajan et al. 2017: (x - baseline) * path integral of the gradient (--steps, --rule, --baseline); "
                + "reports the completeness delta. Signed, [N,C,H,W].";
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
        return List.of(
                OptionInfo.of("steps", "int", d.steps(), "integration points of the path integral (at least 2 for the trapezoid rule)"),
                OptionInfo.choice("rule", Rule.class, d.rule(), "quadrature rule of the path integral"),
                OptionInfo.choice("baseline", Baseline.class, d.baseline(),
                        "reference input: the lower bound, the input blurred, uniform noise from the seed, or baselineImage"),
                new OptionInfo("baselineImage", "tensor", null, "reference image of baseline image, [C,H,W] for every sample or [N,C,H,W]", List.of()));
    }

    /** As {@link Attribution#unused}, and {@code baselineImage} unless the baseline is {@link Baseline#IMAGE}. */
    @Override
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        Map<String, String> out = super.unused(given, options);
        if (given.contains("baselineImage") && options instanceof Options o && o.baseline() != Baseline.IMAGE) {
            out.put("baselineImage", "read only with baseline image");
        }
        return out;
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.integer("steps", d.steps()), v.choice("rule", Rule.class, d.rule()), v.choice("baseline", Baseline.class, d.baseline()),
                v.tensor("baselineImage", d.baselineImage()));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        Options o = (Options) options;
        if (o.baseline() == Baseline.IMAGE) {
            Baselines.checkImage(o.baselineImage(), x);
        }
        return o;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        Options o = (Options) cfg.options();
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor base = Baselines.of(o.baseline(), o.baselineImage(), cfg.seed(), x, model.bounds());
        Quadrature q = Quadrature.of(o.rule(), o.steps());
        int m = o.steps();
        double[] sum = new double[n * per];
        Rows.gradients(model, Rows.count(n, m, "steps"), cfg, r -> targets[r / m], (r, d, off) -> {
            int i = r / m;
            float a = (float) q.points[r % m];
            for (int j = 0; j < per; j++) {
                float b = base.data()[i * per + j];
                d[off + j] = b + a * (x.data()[i * per + j] - b);
            }
        }, (r, s, g, off) -> {
            int i = r / m;
            double w = q.weights[r % m];
            for (int j = 0; j < per; j++) {
                sum[i * per + j] += w * g[off + j];
            }
        });
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batchSize());
        double[] baseScores = Scores.of(model, base, targets, cfg.score(), cfg.batchSize());
        double[] deltas = new double[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < per; j++) {
                int at = i * per + j;
                out.data()[at] = (float) ((x.data()[at] - base.data()[at]) * sum[at]);
                total += out.data()[at];
            }
            deltas[i] = total - (scores[i] - baseScores[i]);
        }
        return new AttributionResult(out, scores, deltas, null);
    }
}
