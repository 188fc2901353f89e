package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Auto-PGD (Croce and Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble of diverse
 * parameter-free attacks", ICML): PGD with momentum whose step size needs no tuning, on the cross-entropy
 * ({@code apgd-ce}), the difference of logits ratio ({@code apgd-dlr}) or the targeted DLR ({@code apgd-t}).
 *
 * <p>With {@code P} the projection onto the {@code eps} ball around the clean image and the pixel box, {@code d(g)}
 * the norm's steepest direction ({@code sign(g)} for L-inf, {@code g/||g||_2} for L2) and {@code f} the loss:
 * <pre>
 *   x1      = P(x0 + eta d(grad f(x0)))                                    eta starts at 2 eps
 *   z       = P(xk + eta d(grad f(xk)))
 *   x(k+1)  = P(xk + alpha (z - xk) + (1 - alpha)(xk - x(k-1)))            alpha = 0.75
 * </pre>
 * The step size is halved at the checkpoints {@code w_j = ceil(p_j N)}, {@code p_0 = 0}, {@code p_1 = 0.22},
 * {@code p_(j+1) = p_j + max(p_j - p_(j-1) - 0.03, 0.06)}, when (1) fewer than {@code 0.75 (w_j - w_(j-1))} of the
 * steps since the last checkpoint raised the loss, or (2) the step was not halved at the last checkpoint and the
 * best loss has not improved since; the iterate then restarts from the best point found so far. Losses:
 * {@code cross_entropy(y)} ascended, or {@code -cross_entropy(t)} for a target {@code t}; {@code dlr(y)}, or the
 * targeted {@code -(z_y - z_t)/(z_pi1 - (z_pi3 + z_pi4)/2)}.
 *
 * <p>Defaults: 100 steps, one restart from a uniform random point of the ball, initial step {@code 2 eps}
 * ({@code stepSize} overrides it). {@code apgd-t} without a target attacks, in turn, the {@code targetClasses}
 * (default 9) classes other than the label with the highest clean logits, as AutoAttack does; with a target it
 * attacks that class. Each restart and each target class only sees the samples not yet fooled, and a sample stops
 * the moment it is fooled (the check comes with each gradient, from the same logits). Otherwise each sample keeps
 * the point of highest loss over all runs. Input {@code [N,C,H,W]}.
 *
 * <p>Samples the model already misclassifies (or assigns to their target) are left as they are, as AutoAttack does.
 * {@code queries} counts that first forward pass and one per gradient ({@code N + 1} per run and target class).
 *
 * <p>Deviations: condition (1) uses the paper's strict {@code <} (the reference code has {@code <=}); a fooled
 * sample stops at once instead of running its remaining steps.
 *
 * <p>Its own options ({@link Options}): the momentum {@code alpha}, the checkpoint fraction {@code rho} (the
 * reference code's and torchattacks' {@code APGD(rho=0.75)}) and, for {@code apgd-t}, {@code targetClasses}
 * (AutoAttack's {@code n_target_classes}, torchattacks' {@code APGDT(n_classes=)} less one).
 */
public final class Apgd extends Attack {
    /** The loss ascended. */
    public enum Loss { CROSS_ENTROPY, DLR, TARGETED_DLR }

    /**
     * APGD's own options:
     * <ul>
     *   <li>{@code alpha}: the weight of the new step against the last one in the momentum update, in
     *       {@code (0,1]} (default 0.75, the paper's; 1 is plain PGD with APGD's step-size schedule);</li>
     *   <li>{@code rho}: the fraction of the steps since the last checkpoint that must have raised the loss for
     *       the step size to stay, in {@code [0,1]} (default 0.75, the paper's);</li>
     *   <li>{@code targetClasses}: for the targeted DLR loss without a target, how many of the likeliest wrong
     *       classes are attacked in turn, at least 1 (default 9, AutoAttack's); the other losses ignore it.</li>
     * </ul>
     */
    public record Options(double alpha, double rho, int targetClasses) implements AttackOptions {
        public Options {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new InvalidOptionException("alpha", "alpha must be in (0,1], got " + alpha);
            }
            if (!(rho >= 0 && rho <= 1)) {
                throw new InvalidOptionException("rho", "rho must be in [0,1], got " + rho);
            }
            if (targetClasses < 1) {
                throw new InvalidOptionException("targetClasses", "targetClasses must be at least 1, got " + targetClasses);
            }
        }

        public Options withAlpha(double v) {
            return new Options(v, rho, targetClasses);
        }

        public Options withRho(double v) {
            return new Options(alpha, v, targetClasses);
        }

        public Options withTargetClasses(int v) {
            return new Options(alpha, rho, v);
        }
    }

    /** The paper's momentum and checkpoint fraction. */
    static final double ALPHA = 0.75;
    static final double RHO = 0.75;

    private final String name;
    private final String description;
    private final Loss loss;
    private final Options defaults;

    /**
     * @param targetClasses for {@link Loss#TARGETED_DLR} without a target, how many of the most likely wrong classes
     *                      to attack in turn: the default of option {@code targetClasses}
     */
    public Apgd(String name, String description, Loss loss, int targetClasses) {
        this.defaults = new Options(ALPHA, RHO, targetClasses);
        this.name = name;
        this.description = description;
        this.loss = loss;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return description;
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
        return List.of(SharedOptions.norm(this), SharedOptions.eps(), SharedOptions.steps(100, "iterations per run"),
                SharedOptions.stepSize(SharedOptions.timesEps(2), "initial step size in the norm, halved at checkpoints (1e-3 at eps 0)"),
                SharedOptions.restarts(1), SharedOptions.randomStart(true),
                SharedOptions.target(loss == Loss.TARGETED_DLR
                        ? "the one class to aim for instead of the " + defaults.targetClasses() + " likeliest wrong ones"
                        : "class to aim for instead of any wrong one"),
                SharedOptions.seed("seed of the random starts and random targets"));
    }

    /** A gradient per step and one for the start, per run; the targeted form without a target runs once per target class. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        long runs = loss == Loss.TARGETED_DLR ? Math.max(1, Math.min(((Options) resolve(cfg.options())).targetClasses(), classes - 1)) : 1;
        return runs * (cfg.steps() + 1) * Math.max(1, cfg.restarts()) + 2;
    }

    @Override
    public AttackConfig defaults(Norm n, double eps) {
        return new AttackConfig(n, eps, 100, eps > 0 ? 2 * eps : 1e-3, 1, true, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, defaults);
    }

    @Override
    public Options defaultOptions() {
        return defaults;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        List<OptionInfo> out = new ArrayList<>(List.of(
                OptionInfo.of("alpha", "double", defaults.alpha(), "momentum: the weight of the new step against the last one"),
                OptionInfo.of("rho", "double", defaults.rho(),
                        "fraction of the steps since the last checkpoint that must raise the loss to keep the step size")));
        if (loss == Loss.TARGETED_DLR) {
            out.add(OptionInfo.of("targetClasses", "int", defaults.targetClasses(), "likeliest wrong classes attacked in turn when no target is given"));
        }
        return List.copyOf(out);
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.real("alpha", defaults.alpha()), v.real("rho", defaults.rho()), v.integer("targetClasses", defaults.targetClasses()));
    }

    /** The checkpoints {@code w_0 = 0 < w_1 < ...} (iteration indices, at most {@code steps - 1}) of a run of {@code steps}. */
    public static int[] checkpoints(int steps) {
        List<Integer> w = new ArrayList<>(List.of(0));
        double before = 0;
        double p = 0.22;
        while (true) {
            int c = (int) Math.ceil(p * steps - 1e-9);
            if (c >= steps) {
                break;
            }
            if (c > w.get(w.size() - 1)) {
                w.add(c);
            }
            double next = p + Math.max(p - before - 0.03, 0.06);
            before = p;
            p = next;
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        Options opt = (Options) resolve(cfg.options());
        int n = criterion.size();
        Tensor clean = x.copy();
        Tensor best = x.copy();
        double[] bestLoss = new double[n];
        Arrays.fill(bestLoss, Double.NEGATIVE_INFINITY);
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        // Samples the model already gets wrong (or sends to their target) stay as they are.
        Tensor logits = model.logits(clean);
        boolean[] done = criterion.test(logits.argmaxRows());
        for (int i = 0; i < n; i++) {
            queries[i]++;
        }
        // Each run: the class the loss aims at per sample (-1: the label's loss).
        List<int[]> runs = new ArrayList<>();
        if (loss == Loss.TARGETED_DLR && !criterion.targeted()) {
            int[][] ranked = rankWrongClasses(logits, criterion);
            for (int t = 0; t < Math.min(opt.targetClasses(), model.classes() - 1); t++) {
                int[] aim = new int[n];
                for (int i = 0; i < n; i++) {
                    aim[i] = ranked[i][t];
                }
                runs.add(aim);
            }
        } else {
            runs.add(criterion.targets());
        }
        for (int[] aim : runs) {
            for (int r = 0; r < cfg.restarts(); r++) {
                int[] active = remaining(done, false);
                if (active.length == 0) {
                    return best;
                }
                attempt(model, clean, criterion, aim, active, cfg, opt, rng.split(), queries, best, bestLoss, done);
            }
        }
        return best;
    }

    /** One APGD run on the samples {@code active}; fooled samples and better losses go into {@code best}. */
    private void attempt(Classifier model, Tensor clean, Criterion criterion, int[] aim, int[] active, AttackConfig cfg, Options opt,
                     SplittableRandom rng, long[] queries, Tensor best, double[] bestLoss, boolean[] done) {
        int m = active.length;
        int per = clean.shape().sizeFrom(1);
        int steps = cfg.steps();
        Norm norm = cfg.norm();
        Tensor c0 = clean.gather(active);
        Tensor cur = c0.copy();
        if (cfg.randomStart()) {
            Perturbations.randomStart(cur, norm, cfg.eps(), rng);
            Perturbations.projectInto(c0, cur, norm, cfg.eps(), model.bounds());
        }
        float[] x = cur.data();
        float[] prev = x.clone();
        float[] xMax = new float[m * per];
        float[] gMax = new float[m * per];
        float[] grad = new float[m * per];
        double[] fMax = new double[m];
        Arrays.fill(fMax, Double.NEGATIVE_INFINITY);
        double[] fMaxLast = new double[m];
        boolean[] reducedLast = new boolean[m];
        double[] eta = new double[m];
        Arrays.fill(eta, cfg.stepSize());
        double[][] history = new double[m][steps + 1];
        boolean[] stopped = new boolean[m];
        int[] w = checkpoints(steps);
        int j = 1;
        Tensor z = cur.copy();
        for (int k = 0; k <= steps; k++) {
            int[] live = remaining(stopped, false);
            if (live.length == 0) {
                break;
            }
            int[] rows = new int[live.length];
            int[] a = new int[live.length];
            for (int i = 0; i < live.length; i++) {
                rows[i] = active[live[i]];
                a[i] = aim[rows[i]];
                queries[rows[i]]++;
            }
            Criterion sub = criterion.gather(rows);
            Recording obj = new Recording(objective(sub.labels(), a), sub, new boolean[live.length], 0);
            Classifier.Gradient g = model.gradient(cur.gather(live), obj);
            boolean checkpoint = j < w.length && k == w[j];
            for (int i = 0; i < live.length; i++) {
                int s = live[i];
                int idx = active[s];
                int o = s * per;
                double f = g.values()[i];
                if (obj.fooled[i]) {
                    stopped[s] = true;
                    done[idx] = true;
                    System.arraycopy(x, o, best.data(), idx * per, per);
                    continue;
                }
                System.arraycopy(g.gradient().data(), i * per, grad, o, per);
                history[s][k] = f;
                if (f > fMax[s]) {
                    fMax[s] = f;
                    System.arraycopy(x, o, xMax, o, per);
                    System.arraycopy(grad, o, gMax, o, per);
                }
                if (k == 0) {
                    fMaxLast[s] = fMax[s];
                }
                if (checkpoint) {
                    boolean reduce = halve(history[s], w[j - 1], w[j], reducedLast[s], fMaxLast[s], fMax[s], opt.rho());
                    reducedLast[s] = reduce;
                    fMaxLast[s] = fMax[s];
                    if (reduce) {
                        eta[s] /= 2;
                        System.arraycopy(xMax, o, x, o, per);
                        System.arraycopy(gMax, o, grad, o, per);
                    }
                }
            }
            if (checkpoint) {
                j++;
            }
            if (k == steps) {
                break;
            }
            // z = P(x + eta d(grad)), then x' = P(x + alpha (z - x) + (1 - alpha)(x - prev)).
            float[] zd = z.data();
            System.arraycopy(x, 0, zd, 0, x.length);
            for (int s : live) {
                if (stopped[s]) {
                    continue;
                }
                int o = s * per;
                norm.steepest(grad, o, per);
                float e = (float) eta[s];
                for (int q = o; q < o + per; q++) {
                    zd[q] += e * grad[q];
                }
            }
            Perturbations.projectInto(c0, z, norm, cfg.eps(), model.bounds());
            float alpha = k == 0 ? 1f : (float) opt.alpha();
            for (int s : live) {
                if (stopped[s]) {
                    continue;
                }
                for (int q = s * per; q < (s + 1) * per; q++) {
                    float now = x[q];
                    x[q] = now + alpha * (zd[q] - now) + (1 - alpha) * (now - prev[q]);
                    prev[q] = now;
                }
            }
            Perturbations.projectInto(c0, cur, norm, cfg.eps(), model.bounds());
        }
        for (int s = 0; s < m; s++) {
            int idx = active[s];
            if (!stopped[s] && fMax[s] > bestLoss[idx]) {
                bestLoss[idx] = fMax[s];
                System.arraycopy(xMax, s * per, best.data(), idx * per, per);
            }
        }
    }

    /**
     * The paper's test at checkpoint {@code w_j} ({@code to}) after {@code w_(j-1)} ({@code from}), on the losses
     * {@code history[i]} of the iterates {@code x_i}: halve the step when (1) fewer than {@code rho (to - from)} of
     * the steps in between raised the loss, or (2) the step was not halved at {@code w_(j-1)} and the best loss
     * then ({@code bestBefore}) is still the best ({@code best}).
     */
    static boolean halve(double[] history, int from, int to, boolean halvedBefore, double bestBefore, double best, double rho) {
        int rises = 0;
        for (int q = from; q < to; q++) {
            if (history[q + 1] > history[q]) {
                rises++;
            }
        }
        return rises < rho * (to - from) || (!halvedBefore && bestBefore >= best);
    }

    /** Indices {@code i} with {@code flags[i] == value}. */
    static int[] remaining(boolean[] flags, boolean value) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i] == value).toArray();
    }

    /** The loss to ascend for labels {@code y} and aims {@code a} ({@code -1}: untargeted). */
    private Objective objective(int[] y, int[] a) {
        boolean targeted = a.length > 0 && a[0] >= 0;
        if (!targeted) {
            return loss == Loss.CROSS_ENTROPY ? Objective.crossEntropy(y) : Objective.dlr(y);
        }
        return loss == Loss.CROSS_ENTROPY ? Objective.sum(List.of(Objective.crossEntropy(a)), new double[] {-1}) : Objective.targetedDlr(y, a);
    }

    /** Per sample, the classes other than the label by decreasing clean logit. */
    private static int[][] rankWrongClasses(Tensor logits, Criterion criterion) {
        int k = logits.dim(1);
        int[][] out = new int[criterion.size()][];
        for (int i = 0; i < out.length; i++) {
            int o = i * k;
            int y = criterion.label(i);
            out[i] = java.util.stream.IntStream.range(0, k).filter(c -> c != y).boxed()
                    .sorted((p, q) -> Float.compare(logits.data()[o + q], logits.data()[o + p])).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Wraps a loss and records, from the same logits, whether each sample is fooled (misclassified, or at its target). */
    private static final class Recording extends Objective {
        private final Objective inner;
        private final Criterion criterion;
        private final boolean[] fooled;
        private final int offset;

        Recording(Objective inner, Criterion criterion, boolean[] fooled, int offset) {
            this.inner = inner;
            this.criterion = criterion;
            this.fooled = fooled;
            this.offset = offset;
        }

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor logits) {
            int[] pred = logits.argmaxRows();
            for (int i = 0; i < pred.length; i++) {
                fooled[offset + i] = criterion.isAdversarial(offset + i, pred[i]);
            }
            return inner.evaluate(logits);
        }

        @Override
        public Objective slice(int from, int to) {
            return new Recording(inner.slice(from, to), criterion, fooled, offset + from);
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
