package dev.fovea.attacks;

import dev.fovea.kernels.Parallel;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The Carlini-Wagner L2 attack (Carlini and Wagner, IEEE S&amp;P 2017, "Towards Evaluating the Robustness of Neural
 * Networks"): a minimum-norm attack that minimises {@code ||x - x0||_2^2 + c * f(x)} by Adam over an unbounded
 * variable {@code w} with {@code x = lo + (hi - lo) * (tanh(w) + 1) / 2} (so every iterate lies in the pixel box),
 * where {@code f(x) = max(z_y - max_{j != y} z_j, -kappa)} (untargeted) or
 * {@code max(max_{j != t} z_j - z_t, -kappa)} (targeted at {@code t}), and a binary search per sample over the
 * constant {@code c}: halved towards the last failure after a success, multiplied by 10 (or bisected once an
 * upper bound is known) after a failure. Each sample keeps the smallest-L2 iterate that fools the model with
 * margin {@code kappa}; its L2 norm is the minimal norm.
 *
 * <p>Defaults: 9 binary search steps and confidence {@code kappa = 0} (the paper's), initial {@code c = 0.1},
 * 100 Adam iterations per search step ({@code steps}) at learning rate 0.05 ({@code stepSize}), each search
 * step restarting from {@code x0} with fresh Adam moments, every iteration run. Images {@code [N,C,H,W]}, L2 only.
 * Deviations from the paper's code (10,000 iterations at 0.01, {@code c} from 0.001, early abort): a budget a CPU
 * affords, with the step and the first {@code c} raised so that 100 iterations reach the boundary (on 24 images
 * of the bundled LeNet-5, median minimal L2 0.39 against 0.50 with 50 iterations at 0.01 from {@code c = 0.01};
 * 300 iterations at 0.01 from {@code c = 0.1} give 0.39 too), and no early abort: the paper's (a sample stops a
 * search step when its loss has not fallen by 0.01% over a tenth of the iterations) stops these shorter, larger
 * steps while they still close in on the boundary. Against DeepFool's minimal L2 on the same samples (median of
 * the per-sample ratios, 90th percentile), on the CIFAR-10 ResNet-20 (20 images): 1.09 and 1.88 without the
 * abort, 1.25 and 4.4 with it; on the LeNet-5 (48 images): 0.94 and 1.04, 0.96 and 1.06. {@code abortEarly}
 * brings it back, at about half the model evaluations. Raise {@code steps} for a stronger search. Samples never
 * fooled are returned unchanged. Restarts and random start of {@link AttackConfig} are not used.
 *
 * <p>Its own options ({@link Options}): {@code searchSteps}, {@code initialConst}, {@code kappa} and
 * {@code abortEarly}, as Foolbox's {@code binary_search_steps}, {@code initial_const}, {@code confidence} and
 * {@code abort_early} (torchattacks' {@code CW(c=, kappa=)}: {@code initialConst} and {@code kappa} with one
 * search step); the learning rate and the iterations are {@code stepSize} and {@code steps}.
 */
public final class CarliniWagner extends MinimumNormAttack {
    /**
     * Carlini-Wagner's own options:
     * <ul>
     *   <li>{@code searchSteps}: steps of the binary search over {@code c}, at least 1 (default 9, the paper's);</li>
     *   <li>{@code initialConst}: the first {@code c}, weight of the margin loss against {@code ||d||_2^2},
     *       positive (default 0.1; the paper's code starts at 0.001);</li>
     *   <li>{@code kappa}: confidence, the margin by which the adversarial class must lead, {@code >= 0}
     *       (default 0: any misclassification); larger values give larger, more transferable perturbations;</li>
     *   <li>{@code abortEarly}: stop a sample's search step once its loss stalls (default false; the paper aborts).</li>
     * </ul>
     */
    public record Options(int searchSteps, double initialConst, double kappa, boolean abortEarly) implements AttackOptions {
        /** 9 search steps from {@code c = 0.1}, {@code kappa = 0}, running every iteration. */
        public static final Options DEFAULTS = new Options(9, 0.1, 0, false);

        public Options {
            if (searchSteps < 1) {
                throw new InvalidOptionException("searchSteps", "searchSteps must be at least 1, got " + searchSteps);
            }
            if (!(initialConst > 0) || !Double.isFinite(initialConst)) {
                throw new InvalidOptionException("initialConst", "initialConst must be positive, got " + initialConst);
            }
            if (!(kappa >= 0) || !Double.isFinite(kappa)) {
                throw new InvalidOptionException("kappa", "kappa must be >= 0, got " + kappa);
            }
        }

        public Options withSearchSteps(int v) {
            return new Options(v, initialConst, kappa, abortEarly);
        }

        public Options withInitialConst(double v) {
            return new Options(searchSteps, v, kappa, abortEarly);
        }

        public Options withKappa(double v) {
            return new Options(searchSteps, initialConst, v, abortEarly);
        }

        public Options withAbortEarly(boolean v) {
            return new Options(searchSteps, initialConst, kappa, v);
        }
    }

    @Override
    public String name() {
        return "cw";
    }

    @Override
    public String describe() {
        Options d = Options.DEFAULTS;
        return "Carlini-Wagner L2, 2017: Adam in tanh space on ||d||^2 + c*margin loss, " + d.searchSteps()
                + " binary search steps over c from " + d.initialConst() + ", kappa " + d.kappa() + ", 100 iterations each; minimum norm. L2, white box, targeted.";
    }

    @Override
    public boolean whiteBox() {
        return true;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.L2;
    }

    @Override
    public Set<Norm> norms() {
        return EnumSet.of(Norm.L2);
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result in the norm; the search ignores it"),
                SharedOptions.steps(100, "Adam iterations per binary search step"), SharedOptions.stepSize("0.05", "Adam's learning rate"), SharedOptions.target(),
                SharedOptions.seed("seed of random targets"));
    }

    /** Its iterations at each step of the binary search, plus the forward passes that check the result. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        return (long) ((Options) resolve(cfg.options())).searchSteps() * cfg.steps() + 2;
    }

    @Override
    public AttackConfig defaults(Norm norm, double eps) {
        return new AttackConfig(norm, eps, 100, 0.05, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.of("searchSteps", "int", d.searchSteps(), "steps of the binary search over the constant c"),
                OptionInfo.of("initialConst", "double", d.initialConst(), "the first c, weight of the margin loss against the squared L2 norm"),
                OptionInfo.of("kappa", "double", d.kappa(), "confidence: the margin by which the adversarial class must lead"),
                OptionInfo.of("abortEarly", "boolean", d.abortEarly(), "stop a search step once the loss stalls"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.integer("searchSteps", d.searchSteps()), v.real("initialConst", d.initialConst()), v.real("kappa", d.kappa()),
                v.bool("abortEarly", d.abortEarly()));
    }

    @Override
    protected Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm) {
        Options opt = (Options) resolve(cfg.options());
        double kappa = opt.kappa();
        int n = criterion.size();
        int k = model.classes();
        int per = x.shape().sizeFrom(1);
        float[] box = model.bounds();
        double half = (box[1] - box[0]) / 2.0;
        double mid = (box[1] + box[0]) / 2.0;
        float[] x0 = x.data().clone();
        double[] w0 = new double[n * per];
        for (int j = 0; j < w0.length; j++) {
            w0[j] = atanh((x0[j] - mid) / half * 0.999999);
        }
        Tensor best = x.copy();
        double[] bestSq = new double[n];
        Arrays.fill(bestSq, Double.POSITIVE_INFINITY);
        double[] c = new double[n];
        Arrays.fill(c, opt.initialConst());
        double[] lower = new double[n];
        double[] upper = new double[n];
        Arrays.fill(upper, 1e10);
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = criterion.aim(i);
        }
        int check = Math.max(1, cfg.steps() / 10);
        double lr = cfg.stepSize();
        for (int bs = 0; bs < opt.searchSteps(); bs++) {
            double[] w = w0.clone();
            double[] m1 = new double[n * per];
            double[] m2 = new double[n * per];
            boolean[] stopped = new boolean[n];
            boolean[] succeeded = new boolean[n];
            double[] prev = new double[n];
            Arrays.fill(prev, Double.POSITIVE_INFINITY);
            double[] th = new double[n * per];
            for (int it = 0; it < cfg.steps(); it++) {
                int[] live = DeepFool.where(stopped, false);
                if (live.length == 0) {
                    break;
                }
                float[] xs = new float[live.length * per];
                // x = mid + half * tanh(w), the tanh kept for the chain rule; samples side by side on the workers
                Parallel.forRange(live.length, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        int o = live[i] * per;
                        for (int j = 0; j < per; j++) {
                            double t = Math.tanh(w[o + j]);
                            th[o + j] = t;
                            xs[i * per + j] = (float) (mid + half * t);
                        }
                    }
                });
                int[] lc = new int[live.length];
                for (int i = 0; i < live.length; i++) {
                    lc[i] = cls[live[i]];
                    queries[live[i]]++;
                }
                Watched obj = new Watched(Objective.margin(lc), live.length, k);
                Classifier.Gradient g = model.gradient(new Tensor(x.shape().tail().withBatch(live.length), xs), obj);
                float[] gm = g.gradient().data();
                boolean[] adversarial = obj.adversarial(criterion.gather(live));
                int step = it + 1;
                double t1 = 1 - Math.pow(0.9, step);
                double t2 = 1 - Math.pow(0.999, step);
                Parallel.forRange(live.length, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        int s = live[i];
                        int o = s * per;
                        boolean targeted = criterion.targeted(s);
                        // margin = max_{j != cls} z_j - z_cls; f = max(-margin, -kappa) untargeted, max(margin, -kappa) targeted
                        double margin = g.values()[i];
                        double fRaw = targeted ? margin : -margin;
                        boolean fActive = fRaw > -kappa;
                        double f = Math.max(fRaw, -kappa);
                        double sq = 0;
                        for (int j = 0; j < per; j++) {
                            double dj = xs[i * per + j] - x0[o + j];
                            sq += dj * dj;
                        }
                        boolean fooled = fRaw < -kappa && adversarial[i];
                        if (fooled) {
                            succeeded[s] = true;
                            if (sq < bestSq[s]) {
                                bestSq[s] = sq;
                                System.arraycopy(xs, i * per, best.data(), o, per);
                            }
                        }
                        double loss = sq + c[s] * f;
                        float sign = targeted ? 1f : -1f;
                        for (int j = 0; j < per; j++) {
                            double tj = th[o + j];
                            double gx = 2 * (xs[i * per + j] - x0[o + j]) + (fActive ? c[s] * sign * gm[i * per + j] : 0);
                            double gw = gx * half * (1 - tj * tj);
                            m1[o + j] = 0.9 * m1[o + j] + 0.1 * gw;
                            m2[o + j] = 0.999 * m2[o + j] + 0.001 * gw * gw;
                            w[o + j] -= lr * (m1[o + j] / t1) / (Math.sqrt(m2[o + j] / t2) + 1e-8);
                        }
                        if (opt.abortEarly() && step % check == 0) {
                            if (loss > prev[s] * 0.9999) {
                                stopped[s] = true;
                            }
                            prev[s] = loss;
                        }
                    }
                });
            }
            for (int i = 0; i < n; i++) {
                if (succeeded[i]) {
                    upper[i] = Math.min(upper[i], c[i]);
                    c[i] = (lower[i] + upper[i]) / 2;
                } else {
                    lower[i] = Math.max(lower[i], c[i]);
                    c[i] = upper[i] < 1e9 ? (lower[i] + upper[i]) / 2 : c[i] * 10;
                }
            }
        }
        float[] d = new float[per];
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(bestSq[i])) {
                for (int j = 0; j < per; j++) {
                    d[j] = best.data()[i * per + j] - x0[i * per + j];
                }
                minimalNorm[i] = Norm.L2.measure(d, 0, per);
            }
        }
        return best;
    }

    private static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }
}
