package dev.fovea.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.Network;
import dev.fovea.tensor.Tensor;
import dev.fovea.train.BatchTransform;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Adversarial training for {@code fovea train} (Madry et al. 2018, "Towards deep learning models resistant to
 * adversarial attacks"): every batch is replaced by the attack's adversarial examples against the network as it
 * stands, {@code min_theta E max_{||delta|| <= eps} L(f_theta(x + delta), y)}, all of the batch adversarial (no
 * clean mix).
 *
 * <p>The attack sees the network in evaluation mode (batch norm with its running statistics, no dropout): the
 * network that will be evaluated and deployed, with no extra batch-statistics updates from the attack's passes, and
 * each sample's adversarial example independent of the rest of its batch. Early in training the running statistics
 * lag behind the batch statistics the step uses; Madry et al.'s code does not say which mode its attack used. The
 * step size defaults to the attack's default total path spread over {@code --steps} ({@code 2.5 * eps / steps} for
 * {@code pgd}, as Madry et al. choose it), so fewer steps still reach the edge of the ball. The random start is the
 * attack's default (on for {@code pgd}), drawn from the training seed and the batch number,
 * so a seed fixes the whole run. After each epoch the robust accuracy on the first {@code --robust-eval} test
 * images is measured with the same attack and a fixed seed.
 */
final class AdversarialOptions {
    @Option(names = "--adversarial", paramLabel = "METHOD", converter = Choices.WhiteBoxAttacks.class, completionCandidates = Choices.WhiteBoxAttacks.class,
            description = "Train on adversarial examples made on the fly by this white-box attack, one of ${COMPLETION-CANDIDATES} (Madry et al. 2018).")
    String method;

    @Option(names = "--eps", paramLabel = "EPS", converter = BudgetLists.Converter.class,
            description = "With --adversarial: budget in pixel units of [0,1] images, a number or a fraction such as 8/255.")
    Double eps;

    @Option(names = "--norm", paramLabel = "NORM", completionCandidates = Choices.Norms.class,
            description = "With --adversarial: norm of the budget, one of ${COMPLETION-CANDIDATES} (default: the attack's).")
    Norm norm;

    @Option(names = "--steps", paramLabel = "N", description = "With --adversarial: attack iterations (default: the attack's).")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "SIZE", converter = BudgetLists.Converter.class,
            description = "With --adversarial: step size, a number or a fraction such as 2/255 (default: the attack's total path over --steps, "
                    + "2.5*eps/steps for pgd).")
    Double stepSize;

    @Option(names = "--robust-eval", paramLabel = "N",
            description = "With --adversarial: test images on which robust accuracy is measured after each epoch, 0 for none (default: "
                    + AdversarialOptions.ROBUST_EVAL + ").")
    Integer robustEvalOption;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    static final int ROBUST_EVAL = 200;
    private int robustEval = ROBUST_EVAL;

    private Attack attack;
    private AttackConfig config;

    boolean enabled() {
        return method != null;
    }

    /** Checks the options; call before any work. */
    void validate() {
        if (method == null) {
            List<String> given = new ArrayList<>();
            Object[] values = {eps, norm, steps, stepSize, robustEvalOption};
            String[] flags = {"--eps", "--norm", "--steps", "--step-size", "--robust-eval"};
            for (int i = 0; i < flags.length; i++) {
                if (values[i] != null) {
                    given.add(flags[i]);
                }
            }
            if (!given.isEmpty()) {
                throw new UsageException(String.join(", ", given) + (given.size() == 1 ? " needs" : " need") + " --adversarial (they set its attack)");
            }
            return;
        }
        if (eps == null) {
            throw new UsageException("--adversarial needs --eps");
        }
        if (robustEvalOption != null) {
            robustEval = robustEvalOption;
        }
        if (robustEval < 0) {
            throw new UsageException("--robust-eval must be >= 0, got " + robustEval);
        }
        try {
            attack = Attacks.named(method);
            if (!attack.whiteBox()) {
                throw new UsageException("--adversarial needs a white-box attack, got " + attack.name());
            }
            Norm n = norm == null ? attack.defaultNorm() : norm;
            if (n == Norm.LINF && !(eps >= 0 && eps <= 1)) {
                throw new UsageException("--eps must be in [0,1] (pixel units), got " + eps);
            }
            AttackConfig d = attack.defaults(n, eps);
            int k = steps != null ? steps : d.steps();
            double step = stepSize != null ? stepSize : k > 0 ? d.stepSize() * d.steps() / k : d.stepSize();
            config = new AttackConfig(n, eps, k, step, 1, d.randomStart(), Target.UNTARGETED, 0);
        } catch (InvalidOptionException e) {
            throw new UsageException("--adversarial: " + Flags.spoken(e, command));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--adversarial: " + e.getMessage());
        }
    }

    private AttackConfig seeded(long seed) {
        return new AttackConfig(config.norm(), config.eps(), config.steps(), config.stepSize(), 1, config.randomStart(), Target.UNTARGETED, seed);
    }

    /** The hook that replaces each batch by its adversarial examples; seeds follow {@code seed} and the batch number. */
    BatchTransform transform(long seed) {
        return (net, x, y, step) -> attack.run(new EngineClassifier(net, x.dim(0)), x, y, seeded(seed * 1_000_003L + step)).adversarial();
    }

    /** Robust accuracy on the first {@code --robust-eval} samples of {@code test}, or NaN when there are none. */
    double robustAccuracy(Network net, Dataset test, int batchSize) {
        if (test == null || robustEval == 0) {
            return Double.NaN;
        }
        int n = Math.min(robustEval, test.size());
        Tensor x = test.images().slice(0, n);
        int[] y = Arrays.copyOf(test.labels(), n);
        return attack.run(new EngineClassifier(net, batchSize), x, y, seeded(0)).robustAccuracy(y);
    }

    /** The per-epoch suffix, e.g. {@code "  robust 41.50% (pgd 0.1)"}, empty when not measured. */
    String describe(double robust) {
        return Double.isNaN(robust) ? "" : String.format(Locale.ROOT, "  robust %.2f%% (%s %s)", 100 * robust, attack.name(), config.eps());
    }

    /** The {@code adversarial} entry of the model's provenance. */
    ObjectNode provenance(double lastRobust, int testSize) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("method", attack.name());
        o.put("norm", config.norm().name().toLowerCase(Locale.ROOT));
        o.put("eps", config.eps());
        o.put("steps", config.steps());
        o.put("step_size", config.stepSize());
        o.put("random_start", config.randomStart());
        o.put("network_mode", "eval");
        o.put("seeds", "training seed * 1000003 + batch number");
        if (!Double.isNaN(lastRobust)) {
            o.put("robust_accuracy", lastRobust);
            o.put("robust_eval_samples", Math.min(robustEval, testSize));
        }
        return o;
    }
}
