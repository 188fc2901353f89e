package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.ForwardingClassifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * PGD with Expectation over Transformation (Athalye, Engstrom, Ilyas and Kwok, ICML 2018, "Synthesizing robust
 * adversarial examples"; Athalye, Carlini and Wagner, ICML 2018, "Obfuscated gradients give a false sense of
 * security"): PGD on a model with randomness (random noise, random transforms, dropout at test time), each step
 * along the gradient averaged over {@code samples} draws of the model's randomness,
 * <pre>
 *   g = (1/S) sum_s grad_x L(f_s(x), y)        f_s: the model on its s-th call
 * </pre>
 * so that the step follows the expected loss rather than one draw's. Everything else is {@link Pgd}'s ({@code pgd}'s
 * defaults: 20 steps of {@code 2.5 eps / 20} from a random start, cross-entropy, restarts keep the worst case): PGD
 * runs on a view of the model whose gradient, loss and logits are the means over {@code samples} calls, and whose
 * predictions (for PGD's early stop) are those of the mean logits. For a deterministic model every call gives the
 * same numbers and the means are those numbers exactly, so the images equal PGD's; only the queries differ.
 *
 * <p>Default {@code samples = 20}, AutoAttack's {@code eot_iter} for randomised defences (its {@code rand}
 * version); torchattacks' {@code EOTPGD} has {@code eot_iter=2}. Queries: {@code samples} per gradient, so
 * {@code samples} times PGD's. The template's success test is one call of the model, so against a random model it
 * is one draw. Images {@code [N,C,H,W]}.
 */
public final class EotPgd extends Attack {
    /** EOT's own option: {@code samples}, the draws of the model's randomness each gradient averages, at least 1 (default 20). */
    public record Options(int samples) implements AttackOptions {
        public static final Options DEFAULTS = new Options(20);

        public Options {
            if (samples < 1) {
                throw new InvalidOptionException("samples", "samples must be at least 1, got " + samples);
            }
            if (samples > 1000) {
                throw new InvalidOptionException("samples", "samples must be at most 1000, got " + samples);
            }
        }
    }

    private final Pgd pgd = new Pgd("pgd", "PGD", Norm.LINF, 20, 2.5 / 20, true, 0);

    @Override
    public String name() {
        return "eot-pgd";
    }

    @Override
    public String describe() {
        return "EOT-PGD, Athalye et al. 2018: PGD along the gradient averaged over 20 draws of a random model's randomness (equals PGD on a deterministic one). "
                + "L-inf or L2, white box, targeted.";
    }

    @Override
    public boolean whiteBox() {
        return true;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.LINF;
    }

    @Override
    public List<OptionInfo> options() {
        return pgd.options();
    }

    /** Each step, and the check of the start, averages over its draws of the model's randomness. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        return (long) (cfg.steps() + 1) * Math.max(1, cfg.restarts()) * ((Options) resolve(cfg.options())).samples() + 2;
    }

    @Override
    public AttackConfig defaults(Norm n, double eps) {
        return pgd.defaults(n, eps).withOptions(Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(OptionInfo.of("samples", "int", Options.DEFAULTS.samples(), "draws of the model's randomness each gradient averages"));
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.integer("samples", Options.DEFAULTS.samples()));
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        int samples = ((Options) resolve(cfg.options())).samples();
        long[] steps = new long[criterion.size()];
        Tensor adv = pgd.perturb(new Expectation(model, samples), x, criterion, cfg.withOptions(AttackOptions.NONE), steps);
        for (int i = 0; i < steps.length; i++) {
            queries[i] += steps[i] * samples;
        }
        return adv;
    }

    /** Running mean {@code m += (v - m) / (s + 1)}: exactly {@code v} when every draw gives {@code v}. */
    private static double mean(double m, double v, int s) {
        return s == 0 ? v : m + (v - m) / (s + 1);
    }

    /**
     * The model seen through {@code samples} calls per question: logits, objective values and input gradients are
     * the means over the calls, and the objective is last shown the mean logits (so what it records, such as PGD's
     * early-stop test, follows the mean prediction). Only what PGD asks for.
     */
    private static final class Expectation extends ForwardingClassifier {
        private final int samples;

        Expectation(Classifier inner, int samples) {
            super(inner);
            this.samples = samples;
        }

        @Override
        public java.util.Optional<dev.fovea.model.RuleBackprop> ruleBackprop() {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<dev.fovea.model.ActivationReplacement> activationReplacement() {
            return java.util.Optional.empty();
        }

        @Override
        public Tensor logits(Tensor x) {
            double[] m = null;
            Shape shape = null;
            for (int s = 0; s < samples; s++) {
                Tensor z = inner.logits(x);
                shape = z.shape();
                m = m == null ? new double[z.size()] : m;
                for (int j = 0; j < m.length; j++) {
                    m[j] = mean(m[j], z.data()[j], s);
                }
            }
            return new Tensor(shape, toFloats(m));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            int n = x.dim(0);
            int k = classes();
            double[] values = new double[n];
            double[] grad = new double[x.size()];
            double[] logits = new double[n * k];
            for (int s = 0; s < samples; s++) {
                Watched w = new Watched(objective, n, k);
                Gradient g = inner.gradient(x, w);
                for (int i = 0; i < n; i++) {
                    values[i] = mean(values[i], g.values()[i], s);
                }
                for (int j = 0; j < grad.length; j++) {
                    grad[j] = mean(grad[j], g.gradient().data()[j], s);
                }
                for (int j = 0; j < logits.length; j++) {
                    logits[j] = mean(logits[j], w.logits()[j], s);
                }
            }
            objective.evaluate(new Tensor(Shape.of(n, k), toFloats(logits)));
            return new Gradient(values, new Tensor(x.shape(), toFloats(grad)));
        }

        private static float[] toFloats(double[] v) {
            float[] out = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                out[j] = (float) v[j];
            }
            return out;
        }

        @Override
        public List<String> layers() {
            return List.of();
        }

        @Override
        public Tensor activations(Tensor x, String layer) {
            throw new UnsupportedOperationException("eot-pgd: expected no layer reads, got one of " + layer);
        }

        @Override
        public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
            throw new UnsupportedOperationException("eot-pgd: expected no layer gradients, got one at " + layer);
        }
    }
}
