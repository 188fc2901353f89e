package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * DeepFool (Moosavi-Dezfooli, Fawzi and Frossard, CVPR 2016, "DeepFool: a simple and accurate method to fool deep
 * neural networks"): a minimum-norm attack that linearises the classifier around the current point and steps onto
 * the nearest linearised decision boundary, until the prediction changes.
 *
 * <p>With {@code y} the clean class and candidates {@code k} (the {@code candidates - 1} classes with the next
 * highest clean logits), at each step {@code w_k = grad z_k - grad z_y}, {@code f_k = z_k - z_y}; the closest
 * boundary is {@code l = argmin_k |f_k| / ||w_k||_q} with {@code q} the dual norm (2 for L2, 1 for L-inf), and
 * the step is {@code r = (|f_l| + 1e-4) / ||w_l||_2^2 * w_l} (L2) or {@code (|f_l| + 1e-4) / ||w_l||_1 * sign(w_l)}
 * (L-inf). Steps add up; the image is {@code clip(x0 + (1 + overshoot) * sum r)} into the pixel box. Targeted
 * (an extension; the paper is untargeted), the one candidate is the target and {@code y} the current top class.
 *
 * <p>Batched: per step one gradient pass of {@code Objective.logit} per candidate class, over the samples not yet
 * fooled only; each sample stops as soon as it is fooled, its perturbation's norm is its minimal norm.
 *
 * <p>Defaults as in the paper and Foolbox: overshoot 0.02, 50 steps ({@code steps}), 10 candidate classes (all
 * of a 10-class model), L2. The step size, restarts and random start of {@link AttackConfig} are not used.
 * Images {@code [N,C,H,W]}. Deviations: the {@code 1e-4} added to {@code |f|} (as Foolbox does) so that a step
 * lands past the boundary rather than on it; overshoot applied to the summed perturbation (as Foolbox does) rather
 * than once at the end.
 *
 * <p>Its own options ({@link Options}): {@code candidates} and {@code overshoot}, as Foolbox's
 * {@code DeepFool(candidates=10, overshoot=0.02)} and torchattacks' {@code DeepFool(overshoot=0.02)}.
 */
public final class DeepFool extends MinimumNormAttack {
    /**
     * DeepFool's own options:
     * <ul>
     *   <li>{@code candidates}: classes whose boundaries each step considers, the clean class and the
     *       {@code candidates - 1} next likeliest, at least 2 (default 10; all classes of a 10-class model, fewer
     *       ones are cheaper, one gradient pass each per step);</li>
     *   <li>{@code overshoot}: the factor {@code 1 + overshoot} on the summed steps, pushing the image past the
     *       linearised boundary, {@code >= 0} (default 0.02, the paper's); larger values give larger minimal norms
     *       and fewer samples left on the boundary.</li>
     * </ul>
     */
    public record Options(int candidates, double overshoot) implements AttackOptions {
        /** 10 candidate classes, overshoot 0.02. */
        public static final Options DEFAULTS = new Options(10, 0.02);

        public Options {
            if (candidates < 2) {
                throw new InvalidOptionException("candidates", "candidates must be at least 2, got " + candidates);
            }
            if (!(overshoot >= 0) || !Double.isFinite(overshoot)) {
                throw new InvalidOptionException("overshoot", "overshoot must be >= 0, got " + overshoot);
            }
        }

        public Options withCandidates(int v) {
            return new Options(v, overshoot);
        }

        public Options withOvershoot(double v) {
            return new Options(candidates, v);
        }
    }

    @Override
    public String name() {
        return "deepfool";
    }

    @Override
    public String describe() {
        Options d = Options.DEFAULTS;
        return "DeepFool, Moosavi-Dezfooli et al. 2016: steps onto the nearest linearised boundary of " + d.candidates()
                + " candidate classes, overshoot " + d.overshoot() + ", up to 50 steps; minimum norm. L2 or L-inf, white box, targeted.";
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
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result in the norm; the search ignores it"), SharedOptions.steps(50, "linearisation steps"),
                SharedOptions.target("class to aim for instead of the nearest boundary"), SharedOptions.seed("seed of random targets"));
    }

    /** Per step a gradient of the own class and one per candidate class, plus the forward pass that picks the candidates. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        int c = Math.min(((Options) resolve(cfg.options())).candidates(), classes);
        return 1 + (long) (cfg.steps() + 1) * (1 + c);
    }

    @Override
    public AttackConfig defaults(Norm norm, double eps) {
        return new AttackConfig(norm, eps, 50, 1.0, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.of("candidates", "int", d.candidates(), "classes whose boundaries each step considers: the clean one and the next likeliest"),
                OptionInfo.of("overshoot", "double", d.overshoot(), "the summed steps are scaled by 1 + overshoot, past the linearised boundary"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.integer("candidates", d.candidates()), v.real("overshoot", d.overshoot()));
    }

    @Override
    protected Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm) {
        Options opt = (Options) resolve(cfg.options());
        double overshoot = opt.overshoot();
        int n = criterion.size();
        int k = model.classes();
        int per = x.shape().sizeFrom(1);
        Norm norm = cfg.norm();
        Tensor x0 = x.copy();
        Tensor cur = x.copy();
        float[] total = new float[n * per];
        float[] lo = model.bounds();
        int[][] cand = candidates(model, x0, criterion, Math.min(opt.candidates(), k), queries);
        boolean[] done = new boolean[n];
        float[] d = new float[per];
        for (int step = 0; step <= cfg.steps(); step++) {
            int[] live = where(done, false);
            if (live.length == 0) {
                break;
            }
            Tensor xs = cur.gather(live);
            Criterion now = criterion.gather(live);
            int[] origin = new int[live.length];
            int[] first = new int[live.length];
            for (int i = 0; i < live.length; i++) {
                first[i] = now.aim(i);
                queries[live[i]]++;
            }
            Watched w0 = new Watched(Objective.logit(first), live.length, k);
            float[] g0 = model.gradient(xs, w0).gradient().data();
            float[] z = w0.logits();
            int[] tops = w0.predictions();
            boolean[] fooled = now.test(tops);
            int[] go = new int[live.length];
            int m = 0;
            for (int i = 0; i < live.length; i++) {
                int s = live[i];
                int top = tops[i];
                if (fooled[i]) {
                    done[s] = true;
                    for (int j = 0; j < per; j++) {
                        d[j] = cur.data()[s * per + j] - x0.data()[s * per + j];
                    }
                    minimalNorm[s] = norm.measure(d, 0, per);
                } else if (step < cfg.steps()) {
                    origin[m] = top;
                    go[m++] = i;
                }
            }
            if (m == 0) {
                continue;
            }
            go = Arrays.copyOf(go, m);
            int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = live[go[i]];
            }
            Tensor xg = cur.gather(rows);
            // Untargeted: the gradient of z_y is g0, the candidates follow. Targeted: g0 is the target's, the other side is the top class.
            boolean targeted = criterion.targeted(rows[0]);
            int others = targeted ? 1 : cand[rows[0]].length;
            double[] bestDist = new double[m];
            Arrays.fill(bestDist, Double.POSITIVE_INFINITY);
            double[] bestF = new double[m];
            float[] bestW = new float[m * per];
            for (int c = 0; c < others; c++) {
                int[] cls = new int[m];
                for (int i = 0; i < m; i++) {
                    cls[i] = targeted ? origin[i] : cand[rows[i]][c];
                    queries[rows[i]]++;
                }
                float[] gc = model.gradient(xg, Objective.logit(cls)).gradient().data();
                for (int i = 0; i < m; i++) {
                    int li = go[i];
                    // w = grad(other side) - grad(own side), f = z_other - z_own (negative while not fooled)
                    float[] w = new float[per];
                    double f;
                    if (targeted) {
                        for (int j = 0; j < per; j++) {
                            w[j] = g0[li * per + j] - gc[i * per + j];
                        }
                        f = (double) z[li * k + criterion.target(rows[i])] - z[li * k + origin[i]];
                    } else {
                        for (int j = 0; j < per; j++) {
                            w[j] = gc[i * per + j] - g0[li * per + j];
                        }
                        f = (double) z[li * k + cls[i]] - z[li * k + criterion.label(rows[i])];
                    }
                    double dist = Math.abs(f) / (dual(norm, w) + 1e-8);
                    if (dist < bestDist[i]) {
                        bestDist[i] = dist;
                        bestF[i] = f;
                        System.arraycopy(w, 0, bestW, i * per, per);
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                int s = rows[i];
                int o = i * per;
                double dn = dual(norm, Arrays.copyOfRange(bestW, o, o + per));
                double l2sq = 0;
                for (int j = 0; j < per; j++) {
                    l2sq += (double) bestW[o + j] * bestW[o + j];
                }
                double scale = norm == Norm.L2 ? (Math.abs(bestF[i]) + 1e-4) / (l2sq + 1e-8) : (Math.abs(bestF[i]) + 1e-4) / (dn + 1e-8);
                for (int j = 0; j < per; j++) {
                    float r = (float) (scale * (norm == Norm.L2 ? bestW[o + j] : Math.signum(bestW[o + j])));
                    total[s * per + j] += r;
                    float v = x0.data()[s * per + j] + (float) (1 + overshoot) * total[s * per + j];
                    cur.data()[s * per + j] = Math.max(lo[0], Math.min(lo[1], v));
                }
            }
        }
        return cur;
    }

    /** The dual norm of {@code w}: L2 for L2, L1 for L-inf. */
    private static double dual(Norm norm, float[] w) {
        double s = 0;
        for (float v : w) {
            s += norm == Norm.L2 ? (double) v * v : Math.abs(v);
        }
        return norm == Norm.L2 ? Math.sqrt(s) : s;
    }

    /** Per sample, the classes after the clean top class in decreasing clean logit, {@code c - 1} of them. */
    private static int[][] candidates(Classifier model, Tensor x, Criterion criterion, int c, long[] queries) {
        int n = criterion.size();
        int k = model.classes();
        int[][] out = new int[n][];
        boolean anyUntargeted = false;
        for (int i = 0; i < n; i++) {
            anyUntargeted |= !criterion.targeted(i);
        }
        if (!anyUntargeted) {
            return out;
        }
        float[] z = model.logits(x).data();
        for (int i = 0; i < n; i++) {
            queries[i]++;
            Integer[] idx = new Integer[k];
            for (int j = 0; j < k; j++) {
                idx[j] = j;
            }
            int o = i * k;
            Arrays.sort(idx, (a, b) -> Float.compare(z[o + b], z[o + a]));
            int y = criterion.label(i);
            out[i] = Arrays.stream(idx).mapToInt(Integer::intValue).filter(j -> j != y).limit(c - 1).toArray();
        }
        return out;
    }

    static int[] where(boolean[] flags, boolean value) {
        int c = 0;
        for (boolean f : flags) {
            c += f == value ? 1 : 0;
        }
        int[] out = new int[c];
        int j = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                out[j++] = i;
            }
        }
        return out;
    }
}
