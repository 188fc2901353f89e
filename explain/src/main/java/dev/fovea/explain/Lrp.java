package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.RuleBackprop;
import dev.fovea.nn.Activation;
import dev.fovea.nn.AvgPool2d;
import dev.fovea.nn.BackwardRule;
import dev.fovea.nn.BatchNorm;
import dev.fovea.nn.Conv2d;
import dev.fovea.nn.ConvTranspose2d;
import dev.fovea.nn.Dropout;
import dev.fovea.nn.Flatten;
import dev.fovea.nn.GlobalAvgPool;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Linear;
import dev.fovea.nn.MaxPool2d;
import dev.fovea.nn.Residual;
import dev.fovea.nn.SubsamplePad;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Layer-wise relevance propagation of Bach et al., "On Pixel-Wise Explanations for Non-Linear Classifier Decisions
 * by Layer-Wise Relevance Propagation" (PLoS ONE 2015), with the rules as Montavon et al. write them in
 * "Layer-Wise Relevance Propagation: An Overview" (2019). The relevance starts as the explained score at the
 * target's logit ({@code R = S_t} there, 0 elsewhere; Captum's start) and flows back layer by layer:
 * <ul>
 *   <li>epsilon rule ({@code lrpRule = epsilon}, the default, and for batch norm, pooling and transposed convolution
 *       always): {@code R_i = a_i sum_j w_ij R_j / (z_j + eps sign(z_j))} with {@code z = Wa + b} the layer's output
 *       ({@code sign(0) = 1}; a zero denominator, possible at {@code eps = 0}, gives 0), computed as {@code a * backward(R / (z + eps sign z))}, so max pooling sends a window's
 *       relevance to its maximum; {@code epsilon} default {@code 1e-9}, Captum's;</li>
 *   <li>alpha-beta rule ({@code lrpRule = alpha-beta}) for convolution and linear layers:
 *       {@code R_i = sum_j (alpha (a_i w_ij)^+ / (sum_i (a_i w_ij)^+ + eps) - beta (a_i w_ij)^- / (sum_i (a_i w_ij)^- - eps)) R_j},
 *       biases left out, {@code alpha - beta = 1}; defaults {@code alpha = 1}, {@code beta = 0}, Captum's
 *       {@code Alpha1_Beta0_Rule} (which clamps the weights alone, and so agrees for non-negative inputs: all but
 *       the first layer after ReLUs); negative inputs are split as {@code a^+ w^+ + a^- w^-};</li>
 *   <li>element-wise activations and dropout pass the relevance unchanged, flatten reshapes it (Captum's treatment);</li>
 *   <li>a residual block's relevance is split between body and shortcut in proportion to their outputs (the epsilon
 *       rule on the sum; Captum does not support skip connections); a softmax inside the network is refused.</li>
 * </ul>
 * The relevance at the normalised input is the pixels' ({@link BackwardRule#relevance()}). Conservation: the
 * relevances sum to the score less what biases and {@code eps} absorb; exactly for {@code eps -> 0} on a bias-free
 * ReLU network. Needs the own engine. Signed. Input and maps {@code [N,C,H,W]}.
 */
final class Lrp extends Attribution {
    /** The rule of convolution and linear layers. */
    public enum LrpRule {
        EPSILON, ALPHA_BETA;

        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    /** LRP's options: the rule, its {@code epsilon} ({@code >= 0}) and {@code alpha}, {@code beta} ({@code beta >= 0}, {@code alpha - beta = 1}). */
    public record Options(@JsonProperty("lrp_rule") LrpRule lrpRule, double epsilon, double alpha, double beta) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(LrpRule.EPSILON, 1e-9, 1, 0);

        public Options {
            if (lrpRule == null) {
                throw new InvalidOptionException("lrpRule", "lrpRule: expected one of epsilon, alpha-beta, got none");
            }
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new InvalidOptionException("epsilon", "epsilon must be >= 0, got " + epsilon);
            }
            if (!(beta >= 0) || !Double.isFinite(beta) || !Double.isFinite(alpha)) {
                throw new InvalidOptionException("beta", "beta must be >= 0, got " + beta);
            }
            if (Math.abs(alpha - beta - 1) > 1e-12) {
                throw new InvalidOptionException("alpha", "alpha - beta must be 1, got alpha " + alpha + " and beta " + beta, "beta");
            }
        }
    }

    @Override
    public String name() {
        return "lrp";
    }

    @Override
    public String describe() {
        return "LRP, Bach et al. 2015: the target's score redistributed layer by layer (--lrp-rule epsilon or alpha-beta, --epsilon, "
                + "--alpha, --beta). Engine models only. Signed, [N,C,H,W].";
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
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.choice("lrpRule", LrpRule.class, d.lrpRule(), "rule of convolution and linear layers"),
                OptionInfo.of("epsilon", "double", d.epsilon(), "stabiliser of the denominators"),
                OptionInfo.of("alpha", "double", d.alpha(), "weight of the positive contributions (alpha-beta rule)"),
                OptionInfo.of("beta", "double", d.beta(), "weight of the negative contributions (alpha-beta rule; alpha - beta = 1)"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.choice("lrpRule", LrpRule.class, d.lrpRule()), v.real("epsilon", d.epsilon()), v.real("alpha", d.alpha()),
                v.real("beta", d.beta()));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        RulePasses.of(model, name());
        return options;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        RuleBackprop rb = RulePasses.of(model, name());
        Rule rule = new Rule((Options) cfg.options());
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = new double[n];
        int chunk = RulePasses.chunk(cfg, 1, per);
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] t = java.util.Arrays.copyOfRange(targets, from, to);
            RuleBackprop.Result r = rb.backward(x.slice(from, to), z -> {
                double[] v = Scores.fromLogits(z, t, cfg.score());
                Tensor seed = Tensor.zeros(z.shape());
                for (int i = 0; i < t.length; i++) {
                    seed.data()[i * z.dim(1) + t[i]] = (float) v[i];
                }
                return seed;
            }, rule);
            System.arraycopy(r.signal().data(), 0, out.data(), from * per, (to - from) * per);
            System.arraycopy(Scores.fromLogits(r.logits(), t, cfg.score()), 0, scores, from, to - from);
        }
        return new AttributionResult(out, scores, null, null);
    }

    /** The rules above, per layer type. */
    static final class Rule implements BackwardRule {
        private final Options o;

        Rule(Options o) {
            this.o = o;
        }

        @Override
        public boolean relevance() {
            return true;
        }

        @Override
        public Tensor backward(Layer layer, Tensor input, Tensor output, Tensor signal) {
            if (layer instanceof Activation || layer instanceof Dropout) {
                return signal.reshape(input.shape());
            }
            if (layer instanceof Flatten) {
                return null;
            }
            if (o.lrpRule() == LrpRule.ALPHA_BETA && (layer instanceof Conv2d || layer instanceof Linear)) {
                return alphaBeta(layer, input, signal);
            }
            if (layer instanceof Conv2d || layer instanceof Linear || layer instanceof ConvTranspose2d || layer instanceof BatchNorm
                    || layer instanceof AvgPool2d || layer instanceof MaxPool2d || layer instanceof GlobalAvgPool || layer instanceof SubsamplePad) {
                return epsilon(layer, input, output, signal);
            }
            throw new IllegalArgumentException("lrp: expected layers with an LRP rule, got " + layer.type());
        }

        /** {@code a * backward(R / (z + eps sign z))}. */
        private Tensor epsilon(Layer layer, Tensor a, Tensor z, Tensor r) {
            float[] s = new float[z.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) quotient(r.data()[i], z.data()[i]);
            }
            float[] c = layer.backward(new Tensor(z.shape(), s)).data();
            float[] out = new float[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.data()[i] * c[i];
            }
            return new Tensor(a.shape(), out);
        }

        /** {@code r / (z + eps sign z)}, 0 where that denominator is 0 (a dead unit at {@code eps = 0}). */
        private double quotient(double r, double z) {
            double d = z + (z >= 0 ? o.epsilon() : -o.epsilon());
            return d == 0 ? 0 : r / d;
        }

        @Override
        public Tensor[] split(Residual block, Tensor body, Tensor shortcut, Tensor signal) {
            float[] rb = new float[signal.size()];
            float[] rs = new float[signal.size()];
            for (int i = 0; i < rb.length; i++) {
                double q = quotient(signal.data()[i], (double) body.data()[i] + shortcut.data()[i]);
                rb[i] = (float) (body.data()[i] * q);
                rs[i] = (float) (shortcut.data()[i] * q);
            }
            return new Tensor[] {new Tensor(signal.shape(), rb), new Tensor(signal.shape(), rs)};
        }

        /** The alpha-beta rule on a convolution or linear layer, through bias-free copies with the weights' positive and negative parts. */
        private Tensor alphaBeta(Layer layer, Tensor a, Tensor r) {
            Tensor ap = clamp(a, true);
            Tensor an = clamp(a, false);
            Layer wpAp = copy(layer, true);
            Layer wnAn = copy(layer, false);
            Tensor zp = add(wpAp.forward(ap, false), wnAn.forward(an, false));
            float[] sp = new float[zp.size()];
            for (int i = 0; i < sp.length; i++) {
                double z = zp.data()[i] + o.epsilon();
                sp[i] = z > 0 ? (float) (o.alpha() * r.data()[i] / z) : 0f;
            }
            Tensor spT = new Tensor(zp.shape(), sp);
            float[] out = new float[a.size()];
            accumulate(out, ap, wpAp.backward(spT));
            accumulate(out, an, wnAn.backward(spT));
            if (o.beta() > 0) {
                Layer wnAp = copy(layer, false);
                Layer wpAn = copy(layer, true);
                Tensor zn = add(wnAp.forward(ap, false), wpAn.forward(an, false));
                float[] sn = new float[zn.size()];
                for (int i = 0; i < sn.length; i++) {
                    double z = zn.data()[i] - o.epsilon();
                    sn[i] = z < 0 ? (float) (-o.beta() * r.data()[i] / z) : 0f;
                }
                Tensor snT = new Tensor(zn.shape(), sn);
                accumulate(out, ap, wnAp.backward(snT));
                accumulate(out, an, wpAn.backward(snT));
            }
            return new Tensor(a.shape(), out);
        }

        private static void accumulate(float[] out, Tensor a, Tensor c) {
            for (int i = 0; i < out.length; i++) {
                out[i] += a.data()[i] * c.data()[i];
            }
        }

        private static Tensor add(Tensor p, Tensor q) {
            float[] d = p.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += q.data()[i];
            }
            return new Tensor(p.shape(), d);
        }

        private static Tensor clamp(Tensor a, boolean positive) {
            float[] d = new float[a.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = positive ? Math.max(0f, a.data()[i]) : Math.min(0f, a.data()[i]);
            }
            return new Tensor(a.shape(), d);
        }

        /** A bias-free copy of a convolution or linear layer with its weights' positive (or negative) part, no parameter gradients. */
        private static Layer copy(Layer layer, boolean positive) {
            Layer c;
            float[] w;
            if (layer instanceof Conv2d conv) {
                Conv2d k = new Conv2d(conv.inChannels(), conv.outChannels(), conv.kernel(), conv.stride(), conv.padding(), false);
                w = conv.weight().value().data();
                System.arraycopy(w, 0, k.weight().value().data(), 0, w.length);
                c = k;
            } else {
                Linear lin = (Linear) layer;
                Linear k = new Linear(lin.inFeatures(), lin.outFeatures(), false);
                w = lin.weight().value().data();
                System.arraycopy(w, 0, k.weight().value().data(), 0, w.length);
                c = k;
            }
            c.params().forEach(p -> p.setRequiresGrad(false));
            float[] cw = c.params().get(0).value().data();
            for (int i = 0; i < cw.length; i++) {
                cw[i] = positive ? Math.max(0f, cw[i]) : Math.min(0f, cw[i]);
            }
            return c;
        }
    }

    @Override
    public String unavailableFor(Classifier model) {
        return RulePasses.unavailable(model);
    }
}
