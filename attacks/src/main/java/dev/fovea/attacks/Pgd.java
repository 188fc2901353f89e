package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Projected gradient descent on the cross-entropy (Madry et al. 2018), and the attacks that are special cases of
 * it: FGSM (Goodfellow et al. 2015: one L-inf step of size eps from the clean image), FGM (its L2 form), BIM /
 * I-FGSM (Kurakin et al. 2017: PGD without random start) and MI-FGSM (Dong et al. 2018: with momentum
 * {@code mu} on L1-normalised gradients).
 *
 * <p>Each step moves along the norm's steepest-ascent direction of the loss (untargeted: cross-entropy to the
 * label, ascended; targeted: cross-entropy to the target, descended), then projects onto the ball and the box.
 * A sample stops as soon as it is fooled (its predictions come with each gradient, at no extra cost). With
 * restarts, each sample keeps its first success, else its highest loss, and fooled samples are not attacked again.
 *
 * <p>Options: the norm, {@code eps}, {@code steps}, {@code stepSize} (default a fixed multiple of {@code eps},
 * given to the constructor), {@code restarts}, {@code randomStart}, {@code target} and {@code seed} (random starts
 * and random targets); defaults per registered attack in {@link #options()}. An attack made with a momentum
 * (MI-FGSM) has its own option, the momentum's {@code decay} ({@link Options}); the others have none.
 */
public final class Pgd extends Attack {
    /**
     * MI-FGSM's own option: {@code decay}, the factor {@code mu} of the accumulated gradient
     * {@code g(t+1) = mu g(t) + grad / ||grad||_1}, {@code >= 0} (default 1.0, the paper's and torchattacks'
     * {@code MIFGSM(decay=1.0)}); 0 turns the momentum off, leaving BIM's steps.
     */
    public record Options(double decay) implements AttackOptions {
        public Options {
            if (!(decay >= 0) || !Double.isFinite(decay)) {
                throw new InvalidOptionException("decay", "decay must be >= 0, got " + decay);
            }
        }
    }

    private final String name;
    private final String description;
    private final Norm norm;
    private final int steps;
    private final double stepFactor;
    private final boolean randomStart;
    private final double momentum;

    /**
     * @param stepFactor default step size as a multiple of eps
     * @param momentum   the default {@code decay} of the momentum (MI-FGSM), or 0 for an attack without momentum,
     *                   which then has no options of its own
     */
    public Pgd(String name, String description, Norm norm, int steps, double stepFactor, boolean randomStart, double momentum) {
        this.name = name;
        this.description = description;
        this.norm = norm;
        this.steps = steps;
        this.stepFactor = stepFactor;
        this.randomStart = randomStart;
        this.momentum = momentum;
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
        return norm;
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps(), SharedOptions.steps(steps, "gradient steps"),
                SharedOptions.stepSize(SharedOptions.timesEps(stepFactor), "size of each step in the norm (1e-3 at eps 0)"), SharedOptions.restarts(1),
                SharedOptions.randomStart(randomStart), SharedOptions.target(), SharedOptions.seed("seed of the random starts and random targets"));
    }

    @Override
    public AttackConfig defaults(Norm n, double eps) {
        return new AttackConfig(n, eps, steps, eps > 0 ? stepFactor * eps : 1e-3, 1, randomStart, Target.UNTARGETED, AttackConfig.DEFAULT_SEED,
                defaultOptions());
    }

    @Override
    public AttackOptions defaultOptions() {
        return momentum > 0 ? new Options(momentum) : AttackOptions.NONE;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return momentum > 0 ? List.of(OptionInfo.of("decay", "double", momentum, "momentum: the factor of the accumulated L1-normalised gradients"))
                : List.of();
    }

    @Override
    protected AttackOptions parse(OptionValues v) {
        return momentum > 0 ? new Options(v.real("decay", momentum)) : AttackOptions.NONE;
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        double decay = resolve(cfg.options()) instanceof Options o ? o.decay() : 0;
        int n = criterion.size();
        int per = x.shape().sizeFrom(1);
        Tensor clean = x.copy();
        Tensor best = x.copy();
        double[] bestLoss = new double[n];
        java.util.Arrays.fill(bestLoss, Double.NEGATIVE_INFINITY);
        boolean[] done = new boolean[n];
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        for (int r = 0; r < cfg.restarts(); r++) {
            int[] active = indices(done, false);
            if (active.length == 0) {
                break;
            }
            Tensor c0 = clean.gather(active);
            Tensor cur = c0.copy();
            if (cfg.randomStart()) {
                Perturbations.randomStart(cur, cfg.norm(), cfg.eps(), rng.split());
                Perturbations.projectInto(c0, cur, cfg.norm(), cfg.eps(), model.bounds());
            }
            float[] mom = new float[active.length * per];
            boolean[] stopped = new boolean[active.length];
            for (int s = 0; s < cfg.steps(); s++) {
                int[] live = indices(stopped, false);
                if (live.length == 0) {
                    break;
                }
                Tensor xs = cur.gather(live);
                int[] rows = new int[live.length];
                for (int i = 0; i < live.length; i++) {
                    rows[i] = active[live[i]];
                    queries[rows[i]]++;
                }
                Criterion sub = criterion.gather(rows);
                Recording obj = new Recording(sub);
                float[] g = model.gradient(xs, obj).gradient().data();
                for (int i = 0; i < live.length; i++) {
                    int a = live[i];
                    if (obj.fooled(i)) {
                        stopped[a] = true;
                        continue;
                    }
                    int go = i * per;
                    float sign = sub.targeted(i) ? -1f : 1f;
                    if (decay > 0) {
                        double l1 = 0;
                        for (int j = 0; j < per; j++) {
                            l1 += Math.abs(g[go + j]);
                        }
                        float k = l1 > 0 ? (float) (1 / l1) : 0f;
                        for (int j = 0; j < per; j++) {
                            mom[a * per + j] = (float) decay * mom[a * per + j] + k * g[go + j];
                            g[go + j] = mom[a * per + j];
                        }
                    }
                    cfg.norm().steepest(g, go, per);
                    float step = (float) cfg.stepSize() * sign;
                    for (int j = 0; j < per; j++) {
                        cur.data()[a * per + j] += step * g[go + j];
                    }
                }
                Perturbations.projectInto(c0, cur, cfg.norm(), cfg.eps(), model.bounds());
            }
            Recording last = new Recording(criterion.gather(active));
            double[] loss = model.gradient(cur, last).values();
            for (int i = 0; i < active.length; i++) {
                int idx = active[i];
                queries[idx]++;
                double l = criterion.targeted(idx) ? -loss[i] : loss[i];
                if (last.fooled(i) || l > bestLoss[idx]) {
                    bestLoss[idx] = l;
                    System.arraycopy(cur.data(), i * per, best.data(), idx * per, per);
                    done[idx] = last.fooled(i);
                }
            }
        }
        return best;
    }

    private static int[] indices(boolean[] flags, boolean value) {
        int c = 0;
        for (boolean f : flags) {
            if (f == value) {
                c++;
            }
        }
        int[] out = new int[c];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * Cross-entropy to the label (untargeted) or the target, which also records, from the same logits, whether
     * each sample is already fooled.
     */
    private static final class Recording extends Objective {
        private final Criterion criterion;
        private final boolean[] fooled;
        private final int offset;

        Recording(Criterion criterion) {
            this(criterion, new boolean[criterion.size()], 0);
        }

        private Recording(Criterion criterion, boolean[] fooled, int offset) {
            this.criterion = criterion;
            this.fooled = fooled;
            this.offset = offset;
        }

        boolean fooled(int i) {
            return fooled[i];
        }

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor logits) {
            int n = logits.dim(0);
            int[] y = new int[n];
            int[] pred = logits.argmaxRows();
            for (int i = 0; i < n; i++) {
                y[i] = criterion.aim(offset + i);
                fooled[offset + i] = criterion.isAdversarial(offset + i, pred[i]);
            }
            return Objective.crossEntropy(y).evaluate(logits);
        }

        @Override
        public Objective slice(int from, int to) {
            return new Recording(criterion, fooled, offset + from);
        }

        @Override
        public String describe() {
            return "cross_entropy";
        }
    }
}
