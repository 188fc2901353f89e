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
 * The Fast Adaptive Boundary attack (Croce and Hein, ICML 2020, "Minimally distorted adversarial examples with a fast
 * adaptive boundary attack"): a minimum-norm attack, L-inf or L2, that steps to the projection onto the linearised
 * decision boundary intersected with the pixel box, biased back towards the clean image. {@code fab} linearises
 * towards the closest boundary of all classes; {@code fab-t}, AutoAttack's targeted form, in turn towards each of the
 * {@code targetClasses} likeliest wrong classes, one logit difference per step instead of one gradient per class.
 *
 * <p>With {@code x0} the clean image of class {@code y}, {@code x} the iterate (the clean image at first), per step:
 * the boundary {@code l = argmin_(k != y) |f_k| / ||grad f_k||_q} of {@code f_k = z_k - z_y} ({@code q} the dual
 * norm: 1 for L-inf, 2 for L2; {@code fab-t}: the target class), the hyperplane
 * {@code pi = {z : grad f_l . (z - x) + f_l = 0}}, and {@code P(p)} the smallest step {@code d} in the norm with
 * {@code p + d} on {@code pi} and in the box ({@link #project}):
 * <pre>
 *   d1 = P(x),  d2 = P(x0),  alpha = min(||d1|| / (||d1|| + ||d2||), alphaMax)
 *   x  = clip((1 - alpha)(x + eta d1) + alpha (x0 + eta d2))
 *   if x is adversarial: keep it if it is the closest yet, then x = x0 + beta (x - x0)
 * </pre>
 * Restarts after the first start from {@code x0} plus a random point of norm {@code min(best, eps) / 2} (uniform
 * per pixel and rescaled for L-inf, Gaussian for L2), {@code best} the smallest norm found so far. A target given
 * as an option replaces the classes of the linearisation (and the success test asks for the target). Each sample
 * keeps the smallest successful perturbation over all restarts and target classes.
 *
 * <p>Defaults as AutoAttack's {@code fab_pt.py} and its standard version: 100 steps, one restart,
 * {@code alphaMax = 0.1}, {@code eta = 1.05}, {@code beta = 0.9}, {@code targetClasses = 9}. Queries: one gradient
 * pass per class per step for {@code fab} ({@code K} per step), one per step for {@code fab-t}, one forward pass per
 * step for the success test, one for the ranking of the target classes. Input {@code [N,C,H,W]}.
 *
 * <p>Deviations: the projection solves the box-constrained problem exactly by sorting its breakpoints (the
 * reference code searches the same breakpoints by bisection), and where the hyperplane does not meet the box it
 * returns the box's corner closest to it; {@code fab-t} runs every target class for every sample and keeps the
 * smallest perturbation (AutoAttack stops a sample at the first class that fools it within {@code eps}), so the
 * minimal norms do not depend on the budget; no L1 form (fovea has no L1 norm).
 */
public final class Fab extends MinimumNormAttack {
    /**
     * FAB's own options:
     * <ul>
     *   <li>{@code alphaMax}: the largest weight of the step from the clean image, in {@code [0,1]} (default 0.1);</li>
     *   <li>{@code eta}: the overshoot of the projections, {@code >= 1} (default 1.05);</li>
     *   <li>{@code beta}: the backward step towards the clean image after a success, in {@code (0,1]} (default 0.9);</li>
     *   <li>{@code targetClasses}: for {@code fab-t}, how many of the likeliest wrong classes are linearised in turn,
     *       at least 1 (default 9, AutoAttack's); {@code fab} ignores it.</li>
     * </ul>
     */
    public record Options(double alphaMax, double eta, double beta, int targetClasses) implements AttackOptions {
        public static final Options DEFAULTS = new Options(0.1, 1.05, 0.9, 9);

        public Options {
            if (!(alphaMax >= 0 && alphaMax <= 1)) {
                throw new InvalidOptionException("alphaMax", "alphaMax must be in [0,1], got " + alphaMax);
            }
            if (!(eta >= 1) || !Double.isFinite(eta)) {
                throw new InvalidOptionException("eta", "eta must be >= 1, got " + eta);
            }
            if (!(beta > 0 && beta <= 1)) {
                throw new InvalidOptionException("beta", "beta must be in (0,1], got " + beta);
            }
            if (targetClasses < 1) {
                throw new InvalidOptionException("targetClasses", "targetClasses must be at least 1, got " + targetClasses);
            }
        }
    }

    private final String name;
    private final boolean targeted;

    /** @param targeted linearise towards the likeliest wrong classes in turn ({@code fab-t}) instead of the closest boundary */
    public Fab(String name, boolean targeted) {
        this.name = name;
        this.targeted = targeted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return targeted
                ? "FAB-T, Croce & Hein 2020: FAB towards each of the 9 likeliest wrong classes in turn (AutoAttack's), 100 steps; minimum norm. "
                        + "L-inf or L2, white box, targeted."
                : "FAB, Croce & Hein 2020: projections onto the closest linearised boundary within the box, biased to the image, 100 steps; "
                        + "minimum norm. L-inf or L2, white box, targeted.";
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
        return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result in the norm; the search ignores it but for the restarts' radius"),
                SharedOptions.steps(100, "steps per restart and target class"), SharedOptions.restarts(1),
                SharedOptions.target("class to linearise towards and aim for"), SharedOptions.seed("seed of the restarts' random starts and random targets"));
    }

    /** Per step the gradients of every class (untargeted) or of the target and the own class (per target class of {@code fab-t}). */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        long per = targeted ? 2L * Math.max(1, Math.min(((Options) resolve(cfg.options())).targetClasses(), classes - 1)) : classes;
        return per * (cfg.steps() + 1) * Math.max(1, cfg.restarts()) + 2;
    }

    @Override
    public AttackConfig defaults(Norm norm, double eps) {
        return new AttackConfig(norm, eps, 100, 1.0, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        Options d = Options.DEFAULTS;
        List<OptionInfo> out = new ArrayList<>(List.of(OptionInfo.of("alphaMax", "double", d.alphaMax(), "largest weight of the step from the clean image"),
                OptionInfo.of("eta", "double", d.eta(), "overshoot of the projections"),
                OptionInfo.of("beta", "double", d.beta(), "backward step towards the clean image after a success")));
        if (targeted) {
            out.add(OptionInfo.of("targetClasses", "int", d.targetClasses(), "likeliest wrong classes linearised in turn"));
        }
        return List.copyOf(out);
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.real("alphaMax", d.alphaMax()), v.real("eta", d.eta()), v.real("beta", d.beta()), v.integer("targetClasses", d.targetClasses()));
    }

    @Override
    protected Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm) {
        Options o = (Options) resolve(cfg.options());
        Norm norm = cfg.norm();
        int n = criterion.size();
        int k = model.classes();
        int per = x.shape().sizeFrom(1);
        float[] box = model.bounds();
        float[] x0 = x.data().clone();
        float[] best = x0.clone();
        double[] bestNorm = new double[n];
        Arrays.fill(bestNorm, Double.POSITIVE_INFINITY);
        SplittableRandom seeds = new SplittableRandom(cfg.seed());
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            rng[i] = seeds.split();
        }
        // The classes each run linearises towards: the target, the ranked wrong classes (fab-t), or all (-1).
        int[][] aims;
        if (criterion.targeted()) {
            aims = new int[][] {criterion.targets()};
        } else if (targeted) {
            aims = ranked(model, x, criterion, Math.min(o.targetClasses(), k - 1), queries);
        } else {
            int[] all = new int[n];
            Arrays.fill(all, -1);
            aims = new int[][] {all};
        }
        for (int[] aim : aims) {
            for (int r = 0; r < cfg.restarts(); r++) {
                float[] cur = x0.clone();
                if (r > 0) {
                    for (int i = 0; i < n; i++) {
                        randomStart(x0, cur, i * per, per, Math.min(bestNorm[i], cfg.eps()) / 2, norm, rng[i], box);
                    }
                }
                run(model, x0, cur, aim, criterion, cfg.steps(), o, norm, box, queries, best, bestNorm);
            }
        }
        for (int i = 0; i < n; i++) {
            minimalNorm[i] = bestNorm[i];
        }
        return new Tensor(x.shape(), best);
    }

    /** Per run {@code c}, the {@code (c+2)}-th likeliest class of each sample on the clean image (the first is its own). */
    private static int[][] ranked(Classifier model, Tensor x, Criterion criterion, int count, long[] queries) {
        int n = criterion.size();
        int k = model.classes();
        float[] z = model.logits(x).data();
        int[][] out = new int[count][n];
        for (int i = 0; i < n; i++) {
            queries[i]++;
            Integer[] idx = new Integer[k];
            for (int j = 0; j < k; j++) {
                idx[j] = j;
            }
            int off = i * k;
            Arrays.sort(idx, (a, b) -> Float.compare(z[off + b], z[off + a]));
            int y = criterion.label(i);
            int[] wrong = Arrays.stream(idx).mapToInt(Integer::intValue).filter(j -> j != y).toArray();
            for (int c = 0; c < count; c++) {
                out[c][i] = wrong[c];
            }
        }
        return out;
    }

    /** One run of {@code steps} steps from {@code cur}, each sample linearised towards {@code aim[i]} ({@code -1}: the closest boundary). */
    private static void run(Classifier model, float[] x0, float[] cur, int[] aim, Criterion criterion, int steps, Options o, Norm norm, float[] box,
                            long[] queries, float[] best, double[] bestNorm) {
        int n = criterion.size();
        int k = model.classes();
        int per = x0.length / n;
        int[] y = criterion.labels();
        boolean closest = aim[0] < 0;
        double[] w = new double[per];
        for (int step = 0; step < steps; step++) {
            Tensor xs = new Tensor(imageShape(model, n), cur.clone());
            double[] f = new double[n];
            double[][] g = new double[n][];
            if (closest) {
                Watched first = null;
                float[][] grads = new float[k][];
                for (int c = 0; c < k; c++) {
                    int[] cls = new int[n];
                    Arrays.fill(cls, c);
                    Watched wc = new Watched(Objective.logit(cls), n, k);
                    grads[c] = model.gradient(xs, wc).gradient().data();
                    first = first == null ? wc : first;
                }
                float[] z = first.logits();
                for (int i = 0; i < n; i++) {
                    queries[i] += k;
                    double bestDist = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < k; c++) {
                        if (c == y[i]) {
                            continue;
                        }
                        double fc = (double) z[i * k + c] - z[i * k + y[i]];
                        double[] gc = new double[per];
                        for (int j = 0; j < per; j++) {
                            gc[j] = (double) grads[c][i * per + j] - grads[y[i]][i * per + j];
                        }
                        double dist = Math.abs(fc) / (1e-12 + dual(norm, gc));
                        if (dist < bestDist) {
                            bestDist = dist;
                            f[i] = fc;
                            g[i] = gc;
                        }
                    }
                }
            } else {
                Classifier.Gradient gr = model.gradient(xs, new LogitDifference(aim, y));
                for (int i = 0; i < n; i++) {
                    queries[i]++;
                    f[i] = gr.values()[i];
                    g[i] = new double[per];
                    for (int j = 0; j < per; j++) {
                        g[i][j] = gr.gradient().data()[i * per + j];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                int off = i * per;
                double b = -f[i];
                for (int j = 0; j < per; j++) {
                    w[j] = g[i][j];
                    b += w[j] * cur[off + j];
                }
                double[] d1 = project(cur, off, w, b, norm, box);
                double[] d2 = project(x0, off, w, b, norm, box);
                double a1 = Math.max(measure(norm, d1), 1e-8);
                double a2 = Math.max(measure(norm, d2), 1e-8);
                double alpha = Math.min(Math.max(a1 / (a1 + a2), 0), o.alphaMax());
                for (int j = 0; j < per; j++) {
                    double v = (cur[off + j] + o.eta() * d1[j]) * (1 - alpha) + (x0[off + j] + o.eta() * d2[j]) * alpha;
                    cur[off + j] = (float) Math.max(box[0], Math.min(box[1], v));
                }
            }
            int[] pred = model.predict(new Tensor(imageShape(model, n), cur));
            float[] d = new float[per];
            for (int i = 0; i < n; i++) {
                queries[i]++;
                if (!criterion.isAdversarial(i, pred[i])) {
                    continue;
                }
                int off = i * per;
                for (int j = 0; j < per; j++) {
                    d[j] = cur[off + j] - x0[off + j];
                }
                double t = norm.measure(d, 0, per);
                if (t < bestNorm[i]) {
                    bestNorm[i] = t;
                    System.arraycopy(cur, off, best, off, per);
                }
                for (int j = 0; j < per; j++) {
                    cur[off + j] = (float) (x0[off + j] + o.beta() * ((double) cur[off + j] - x0[off + j]));
                }
            }
        }
    }

    private static dev.fovea.tensor.Shape imageShape(Classifier model, int n) {
        return model.inputShape().withBatch(n);
    }

    /** Adds to {@code cur[o, o+per)} a random perturbation of norm {@code radius} and clips into the box (nothing when the radius is 0 or infinite). */
    private static void randomStart(float[] x0, float[] cur, int o, int per, double radius, Norm norm, SplittableRandom r, float[] box) {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            return;
        }
        double[] t = new double[per];
        for (int j = 0; j < per; j++) {
            t[j] = norm == Norm.LINF ? 2 * r.nextDouble() - 1 : Perturbations.gaussian(r);
        }
        double m = measure(norm, t);
        for (int j = 0; j < per; j++) {
            cur[o + j] = (float) Math.max(box[0], Math.min(box[1], x0[o + j] + radius * t[j] / m));
        }
    }

    /** The dual norm of {@code v}: L1 for L-inf, L2 for L2. */
    static double dual(Norm norm, double[] v) {
        double s = 0;
        for (double a : v) {
            s += norm == Norm.L2 ? a * a : Math.abs(a);
        }
        return norm == Norm.L2 ? Math.sqrt(s) : s;
    }

    static double measure(Norm norm, double[] v) {
        double s = 0;
        for (double a : v) {
            s = norm == Norm.L2 ? s + a * a : Math.max(s, Math.abs(a));
        }
        return norm == Norm.L2 ? Math.sqrt(s) : s;
    }

    /**
     * The smallest step {@code d} (in {@code norm}, L2 or L-inf) from {@code p = point[o, o+len)} onto the hyperplane
     * {@code w . z = b} with {@code p + d} inside the box; where the hyperplane does not meet the box, the step to the
     * box's corner closest to it ({@code w . (p + d)} as near {@code b} as the box allows). Solved exactly: with
     * {@code c = b - w . p} made positive by flipping {@code w}, L2's solution is {@code d_j = clip(lambda w_j)} into the
     * box and L-inf's {@code d_j = sign(w_j) min(r, room_j)}, for the {@code lambda} or radius {@code r} at which
     * {@code w . d = c}; {@code w . d} is piecewise linear in either, and its pieces end where a coordinate reaches the
     * box, so sorting those points finds the piece and the piece gives the value.
     */
    static double[] project(float[] point, int o, double[] w, double b, Norm norm, float[] box) {
        int len = w.length;
        double c = b;
        for (int j = 0; j < len; j++) {
            c -= w[j] * point[o + j];
        }
        double sign = c < 0 ? -1 : 1;
        c *= sign;
        // room[j]: how far coordinate j may move in the direction that raises (sign * w) . d; bound[j] in that direction.
        double[] room = new double[len];
        double[] at = new double[len];
        int m = 0;
        int[] order = new int[len];
        for (int j = 0; j < len; j++) {
            double wj = sign * w[j];
            if (wj == 0) {
                continue;
            }
            room[j] = wj > 0 ? box[1] - point[o + j] : point[o + j] - box[0];
            // L2: d_j = lambda * w_j until it reaches the box at lambda = room / |w_j|; L-inf: d_j = r until r = room.
            at[j] = norm == Norm.L2 ? room[j] / Math.abs(wj) : room[j];
            order[m++] = j;
        }
        double[] d = new double[len];
        if (c == 0 || m == 0) {
            return d;
        }
        Integer[] sorted = new Integer[m];
        for (int q = 0; q < m; q++) {
            sorted[q] = order[q];
        }
        Arrays.sort(sorted, (a, bb) -> Double.compare(at[a], at[bb]));
        double saturated = 0;
        double slope = 0;
        for (int q = 0; q < m; q++) {
            double wj = Math.abs(w[sorted[q]]);
            slope += norm == Norm.L2 ? wj * wj : wj;
        }
        double param = Double.POSITIVE_INFINITY;
        for (int q = 0; q < m; q++) {
            int j = sorted[q];
            double wj = Math.abs(w[j]);
            if (saturated + at[j] * slope >= c) {
                param = (c - saturated) / slope;
                break;
            }
            saturated += wj * room[j];
            slope -= norm == Norm.L2 ? wj * wj : wj;
        }
        for (int q = 0; q < m; q++) {
            int j = sorted[q];
            double dir = Math.signum(sign * w[j]);
            double step = norm == Norm.L2 ? param * Math.abs(w[j]) : param;
            d[j] = dir * Math.min(step, room[j]);
        }
        return d;
    }

    /** {@code z_t - z_y} per sample, the logit difference FAB-T linearises. */
    static final class LogitDifference extends Objective {
        private final int[] to;
        private final int[] from;

        LogitDifference(int[] to, int[] from) {
            this.to = to;
            this.from = from;
        }

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor z) {
            int n = z.dim(0);
            int k = z.dim(1);
            double[] v = new double[n];
            float[] g = new float[n * k];
            for (int i = 0; i < n; i++) {
                v[i] = (double) z.data()[i * k + to[i]] - z.data()[i * k + from[i]];
                g[i * k + to[i]] += 1f;
                g[i * k + from[i]] -= 1f;
            }
            return new Evaluation(v, new Tensor(z.shape(), g));
        }

        @Override
        public Objective slice(int a, int b) {
            return new LogitDifference(Arrays.copyOfRange(to, a, b), Arrays.copyOfRange(from, a, b));
        }

        @Override
        public String describe() {
            return "logit_difference";
        }
    }
}
