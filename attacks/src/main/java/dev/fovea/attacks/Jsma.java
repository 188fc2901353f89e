package dev.fovea.attacks;

import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Jacobian-based saliency map attack (Papernot, McDaniel, Jha, Fredrikson, Celik and Swami, EuroS&amp;P 2016,
 * "The Limitations of Deep Learning in Adversarial Settings"): a sparse, targeted attack that raises, two at a time,
 * the input values whose increase most helps the target class and most hurts the others.
 *
 * <p>Each step takes {@code alpha = grad z_t} and {@code beta = grad sum_{j != t} z_j} (two gradient passes) and
 * picks, among pairs {@code (p, q)} of the search domain, the one maximising
 * {@code (alpha_p + alpha_q) * |beta_p + beta_q|} subject to {@code alpha_p + alpha_q > 0} and
 * {@code beta_p + beta_q < 0}; both values grow by {@code theta} (clipped to the box) and leave the domain. The
 * domain starts as the values below the box's top. A sample stops when it reaches the target (untargeted: when it
 * is misclassified), when its domain has no admissible pair, or when two more changes would exceed the budget.
 *
 * <p>Budget: L0 only, {@code eps} the fraction of input values (pixels times channels) that may change
 * ({@link Norm#L0}); the paper's maximum distortion {@code gamma}, 14.5% on MNIST. Defaults: {@code theta = 1}
 * ({@code stepSize}: each chosen value goes to the box's top), the increasing variant (the paper's main one).
 * Untargeted (an extension; the paper is targeted), the target is the clean runner-up class and success is any
 * misclassification. Saliency on the logits rather than the softmax (as CleverHans does). Images
 * {@code [N,C,H,W]}; steps, restarts and random start of {@link AttackConfig} are not used.
 */
public final class Jsma extends Attack {
    @Override
    public String name() {
        return "jsma";
    }

    @Override
    public String describe() {
        return "JSMA, Papernot et al. 2016: raises the pixel pair of highest saliency for the target until it is reached; "
                + "eps is the fraction of pixels that may change. L0, white box, targeted (untargeted: the runner-up class).";
    }

    @Override
    public boolean whiteBox() {
        return true;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.L0;
    }

    @Override
    public Set<Norm> norms() {
        return EnumSet.of(Norm.L0);
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps("fraction of input values that may change"),
                SharedOptions.stepSize("1.0", "theta, the amount each chosen value grows by (clipped to the box)"),
                SharedOptions.target("class to aim for instead of the clean runner-up"), SharedOptions.seed("seed of random targets"));
    }

    /** Two gradients per iteration, and an iteration per two changed values at most: {@code eps} times the input's size. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        return 2 * (long) Math.ceil(cfg.eps() * inputSize / 2) + 2;
    }

    @Override
    public AttackConfig defaults(Norm norm, double eps) {
        return new AttackConfig(norm, eps, 1, 1.0, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED);
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        int n = criterion.size();
        int k = model.classes();
        int per = x.shape().sizeFrom(1);
        float top = model.bounds()[1];
        float theta = (float) cfg.stepSize();
        int cap = (int) Math.floor(cfg.eps() * per + 1e-9);
        int[] goal = criterion.targets();
        float[] clean = null;
        for (int i = 0; i < n; i++) {
            if (!criterion.targeted(i)) {
                if (clean == null) {
                    clean = model.logits(x).data();
                }
                queries[i]++;
                goal[i] = runnerUp(clean, i * k, k, criterion.label(i));
            }
        }
        boolean[] domain = new boolean[n * per];
        for (int j = 0; j < n * per; j++) {
            domain[j] = x.data()[j] < top;
        }
        int[] changed = new int[n];
        boolean[] done = new boolean[n];
        float[] d = x.data();
        while (true) {
            int[] live = DeepFool.where(done, false);
            if (live.length == 0) {
                break;
            }
            Tensor xs = x.gather(live);
            int[] t = new int[live.length];
            for (int i = 0; i < live.length; i++) {
                t[i] = goal[live[i]];
                queries[live[i]] += 2;
            }
            Watched wa = new Watched(Objective.logit(t), live.length, k);
            float[] alpha = model.gradient(xs, wa).gradient().data();
            float[] all = model.gradient(xs, allLogits(live.length, k)).gradient().data();
            boolean[] reached = wa.adversarial(criterion.gather(live));
            for (int i = 0; i < live.length; i++) {
                int s = live[i];
                if (reached[i] || changed[s] + 2 > cap) {
                    done[s] = true;
                    continue;
                }
                int o = i * per;
                int bp = -1;
                int bq = -1;
                double bestScore = 0;
                for (int p = 0; p < per; p++) {
                    if (!domain[s * per + p]) {
                        continue;
                    }
                    double ap = alpha[o + p];
                    double bp0 = all[o + p] - alpha[o + p];
                    for (int q = p + 1; q < per; q++) {
                        if (!domain[s * per + q]) {
                            continue;
                        }
                        double a = ap + alpha[o + q];
                        double b = bp0 + all[o + q] - alpha[o + q];
                        if (a > 0 && b < 0 && -a * b > bestScore) {
                            bestScore = -a * b;
                            bp = p;
                            bq = q;
                        }
                    }
                }
                if (bp < 0) {
                    done[s] = true;
                    continue;
                }
                for (int j : new int[] {bp, bq}) {
                    d[s * per + j] = Math.min(top, d[s * per + j] + theta);
                    domain[s * per + j] = false;
                }
                changed[s] += 2;
            }
        }
        return x;
    }

    /** The sum of all logits, whose gradient less the target's is JSMA's {@code beta}. */
    private static Objective allLogits(int n, int k) {
        List<Objective> parts = new ArrayList<>();
        double[] ones = new double[k];
        for (int c = 0; c < k; c++) {
            int[] cls = new int[n];
            java.util.Arrays.fill(cls, c);
            parts.add(Objective.logit(cls));
            ones[c] = 1;
        }
        return Objective.sum(parts, ones);
    }

    /** The class of highest logit other than {@code skip} ({@code -1}: the top class). */
    private static int runnerUp(float[] z, int o, int k, int skip) {
        int best = -1;
        for (int j = 0; j < k; j++) {
            if (j != skip && (best < 0 || z[o + j] > z[o + best])) {
                best = j;
            }
        }
        return best;
    }
}
