package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.model.RuleBackprop;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * DeepLift with the rescale rule, of Shrikumar, Greenside and Kundaje, "Learning Important Features Through
 * Propagating Activation Differences" (ICML 2017), as Captum's {@code DeepLift}: the input and its reference
 * {@code x'} go through the network side by side, and the backward pass carries multipliers {@code m = dy/dx}
 * (differences between the two passes) through the nonlinearities in place of derivatives ({@link RescaleRule});
 * {@code A = (x - x') * m}. Summation-to-delta: {@code sum(A) = S_t(x) - S_t(x')} for the logit score (exact up to
 * float32 rounding and Captum's {@code 1e-10} threshold); each sample's delta {@code sum(A) - (S_t(x) - S_t(x'))} is
 * reported. The seed at the logits is the score's gradient at {@code x}, so for the probability score
 * (softmax, not element-wise) completeness is only approximate.
 *
 * <p>Options ({@link Options}): {@code baseline} (default black, all pixels at the lower bound: Captum's zero
 * reference), blurred, uniform noise (from the seed) or a given {@code baselineImage}, as Integrated Gradients'.
 * Needs the own engine ({@link Classifier#ruleBackprop()}); a softmax inside the network is refused. Samples are
 * explained in chunks of {@code batchSize} pairs. Signed. Input and maps {@code [N,C,H,W]}.
 */
public final class DeepLift extends Attribution {
    /** DeepLift's reference: the {@code baseline} kind and, for {@code image}, the {@code baselineImage} ({@code [C,H,W]} or {@code [N,C,H,W]}). */
    public record Options(IntegratedGradients.Baseline baseline, @JsonIgnore Tensor baselineImage) implements AttributionOptions {
        /** The black reference. */
        public static final Options DEFAULTS = new Options(IntegratedGradients.Baseline.BLACK, null);

        public Options {
            if (baseline == null) {
                throw new InvalidOptionException("baseline", "baseline: expected a baseline, got none");
            }
            if (baselineImage != null && baselineImage.shape().rank() != 3 && baselineImage.shape().rank() != 4) {
                throw new InvalidOptionException("baselineImage", "baselineImage: expected [C,H,W] or [N,C,H,W], got " + baselineImage.shape());
            }
        }

        @Override
        public Options forSamples(int from, int to) {
            return baselineImage != null && baselineImage.shape().rank() == 4 ? new Options(baseline, baselineImage.slice(from, to)) : this;
        }
    }

    /** Writes pair {@code p}'s input (or reference) into {@code dst} at {@code off}. */
    interface PairFill {
        void fill(int pair, float[] dst, int off);
    }

    /** Receives pair {@code p}'s scores and its attribution {@code (x - x') * m} ({@code per} values at {@code off}). */
    interface PairSink {
        void accept(int pair, double score, double referenceScore, float[] attribution, int off);
    }

    DeepLift() {
    }

    @Override
    public String name() {
        return "deep-lift";
    }

    @Override
    public String describe() {
        return "DeepLift (rescale rule), Shrikumar et al. 2017: (x - reference) * multipliers dy/dx through the nonlinearities (--baseline); "
                + "reports the summation-to-delta error. Engine models only. Signed, [N,C,H,W].";
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
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(OptionInfo.choice("baseline", IntegratedGradients.Baseline.class, Options.DEFAULTS.baseline(),
                        "reference input: the lower bound, the input blurred, uniform noise from the seed, or baselineImage"),
                new OptionInfo("baselineImage", "tensor", null, "reference image of baseline image, [C,H,W] for every sample or [N,C,H,W]", List.of()));
    }

    /** As {@link Attribution#unused}, and {@code baselineImage} unless the baseline is {@code image}. */
    @Override
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        Map<String, String> out = super.unused(given, options);
        if (given.contains("baselineImage") && options instanceof Options o && o.baseline() != IntegratedGradients.Baseline.IMAGE) {
            out.put("baselineImage", "read only with baseline image");
        }
        return out;
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.choice("baseline", IntegratedGradients.Baseline.class, Options.DEFAULTS.baseline()),
                v.tensor("baselineImage", Options.DEFAULTS.baselineImage()));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        Options o = (Options) options;
        if (o.baseline() == IntegratedGradients.Baseline.IMAGE) {
            Baselines.checkImage(o.baselineImage(), x);
        }
        RulePasses.of(model, name());
        return o;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        Options o = (Options) cfg.options();
        Tensor base = Baselines.of(o.baseline(), o.baselineImage(), cfg.seed(), x, model.bounds());
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = new double[n];
        double[] deltas = new double[n];
        pairs(model, name(), n, cfg, i -> targets[i], (i, d, off) -> Rows.copy(x, i, d, off), (i, d, off) -> Rows.copy(base, i, d, off),
                (i, s, sr, a, off) -> {
                    System.arraycopy(a, off, out.data(), i * per, per);
                    double total = 0;
                    for (int j = 0; j < per; j++) {
                        total += a[off + j];
                    }
                    scores[i] = s;
                    deltas[i] = total - (s - sr);
                });
        return new AttributionResult(out, scores, deltas, null);
    }

    /**
     * DeepLift over {@code count} (input, reference) pairs, in rule passes of at most {@code batchSize} pairs (inputs
     * in the first half of a pass's rows, their references in the second): each pair's scores and attribution to
     * {@code sink}, in order. The references' seed is their input's, so both halves carry the same multipliers.
     */
    static void pairs(Classifier model, String method, int count, ExplainConfig cfg, IntUnaryOperator targetOf, PairFill input,
                      PairFill reference, PairSink sink) {
        RuleBackprop rb = RulePasses.of(model, method);
        Shape in = model.inputShape();
        int per = in.size();
        int chunk = RulePasses.chunk(cfg, 2, per);
        RescaleRule rule = new RescaleRule(method);
        for (int from = 0; from < count; from += chunk) {
            int m = Math.min(chunk, count - from);
            float[] d = new float[2 * m * per];
            int[] t = new int[2 * m];
            for (int p = 0; p < m; p++) {
                input.fill(from + p, d, p * per);
                reference.fill(from + p, d, (m + p) * per);
                t[p] = targetOf.applyAsInt(from + p);
                t[m + p] = t[p];
            }
            Objective obj = Scores.objective(t, cfg.score());
            RuleBackprop.Result r = rb.backward(new Tensor(in.withBatch(2 * m), d), z -> {
                Tensor g = obj.evaluate(z).gradient().copy();
                int k = z.dim(1);
                System.arraycopy(g.data(), 0, g.data(), m * k, m * k);
                return g;
            }, rule);
            double[] v = obj.evaluate(r.logits()).values();
            float[] sig = r.signal().data();
            float[] a = new float[m * per];
            for (int p = 0; p < m; p++) {
                for (int j = 0; j < per; j++) {
                    a[p * per + j] = (d[p * per + j] - d[(m + p) * per + j]) * sig[p * per + j];
                }
            }
            for (int p = 0; p < m; p++) {
                sink.accept(from + p, v[p], v[m + p], a, p * per);
            }
        }
    }

    @Override
    public String unavailableFor(Classifier model) {
        return RulePasses.unavailable(model);
    }
}
