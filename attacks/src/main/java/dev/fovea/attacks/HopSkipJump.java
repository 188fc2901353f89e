package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HopSkipJump (Chen, Jordan and Wainwright, IEEE S&amp;P 2020, "HopSkipJumpAttack: a query-efficient decision-based
 * attack"): a minimum-norm attack, L2 or L-inf, that sees only the predicted label. It estimates the gradient of the
 * decision function at the boundary from the labels of random perturbations, steps along it, and returns to the
 * boundary by binary search.
 *
 * <p>With {@code d = C*H*W}, {@code theta = gamma / d^(3/2)} (L2) or {@code gamma / d^2} (L-inf), {@code x0} the
 * clean image and {@code x_t} the boundary point of iteration {@code t}, at distance {@code dist_t}:
 * <pre>
 *   binary search   between x0 and a point p: L2 blends (1 - a) x0 + a p until the blend interval is below theta;
 *                   L-inf clips p into [x0 - a, x0 + a] until a's interval is below min(theta, theta * dist)
 *   delta_t         = 0.1 (the box's width) at t = 1, else sqrt(d) theta dist_(t-1) (L2) or d theta dist_(t-1) (L-inf)
 *   grad            = mean_b (phi_b - mean phi) u_b,  u_b = (clip(x_t + delta_t v_b) - x_t) / delta_t,  v_b = w_b / ||w_b||_2
 *                     w_b ~ N(0, I) (L2) or U[-1,1]^d (L-inf); phi_b = +1 if adversarial, -1 if not; B_t = min(initEvals sqrt(t), maxEvals)
 *                     (all phi equal: grad = phi * mean u_b)
 *   step            x' = clip(x_t + eps v), v = grad / ||grad||_2 (L2) or sign(grad) (L-inf), eps = dist_t / sqrt(t) halved until x' is adversarial
 *   x_(t+1)         = binary search between x0 and x'
 * </pre>
 * The start is uniform noise in the box until a draw is adversarial, then a blending search towards {@code x0}
 * ({@link Decisions#start}), then the binary search. Each sample keeps the closest boundary point it reaches.
 *
 * <p>Defaults as the authors' code ({@code hsja.py}) and ART's {@code HopSkipJump}: {@code gamma = 1},
 * {@code initEvals = 100}, {@code maxEvals = 10000}, {@code iterations = 40} (the authors'; ART has 50), the
 * geometric step search; the budget is {@code steps} = 5000 queries per sample, which ends the run first at the
 * default {@code iterations} on a 28x28 image. An iteration's gradient estimate takes at most what the budget
 * leaves less 40 queries for its step and binary searches, and a sample stops when fewer than 2 are left for it;
 * a search cut short by the budget keeps its adversarial end. Every point asked about counts one query, as does
 * the template's check of the clean image. Each sample draws from its own generator split from the seed by its
 * index. Images {@code [N,C,H,W]}.
 *
 * <p>Deviations: the start's blending search is binary (the authors' is too, ART's and Foolbox's linear); the
 * step search gives up after 30 halvings (the authors' loops until it succeeds); untargeted only (a targeted run
 * needs a starting image of the target class, which fovea has no way to give).
 */
public final class HopSkipJump extends MinimumNormAttack {
    /**
     * HopSkipJump's own options:
     * <ul>
     *   <li>{@code gamma}: sets the binary search's tolerance {@code theta} and so the gradient probes' radius,
     *       {@code > 0} (default 1.0);</li>
     *   <li>{@code initEvals}: the gradient estimate's draws at the first iteration, growing as {@code sqrt(t)},
     *       at least 1 (default 100);</li>
     *   <li>{@code maxEvals}: the most draws of one estimate, at least {@code initEvals} (default 10000);</li>
     *   <li>{@code iterations}: the most iterations, at least 1 (default 40).</li>
     * </ul>
     */
    public record Options(double gamma, int initEvals, int maxEvals, int iterations) implements AttackOptions {
        public static final Options DEFAULTS = new Options(1.0, 100, 10_000, 40);

        public Options {
            if (!(gamma > 0) || !Double.isFinite(gamma)) {
                throw new InvalidOptionException("gamma", "gamma must be positive, got " + gamma);
            }
            if (initEvals < 1) {
                throw new InvalidOptionException("initEvals", "initEvals must be at least 1, got " + initEvals);
            }
            if (maxEvals < initEvals) {
                throw new InvalidOptionException("maxEvals", "maxEvals must be at least initEvals (" + initEvals + "), got " + maxEvals);
            }
            if (iterations < 1) {
                throw new InvalidOptionException("iterations", "iterations must be at least 1, got " + iterations);
            }
        }
    }

    /** Queries an iteration keeps back from its gradient estimate for the step and binary searches. */
    static final int RESERVE = 40;
    static final int HALVINGS = 30;
    /** Draws per forward pass of a gradient estimate. */
    private static final int CHUNK = 500;

    @Override
    public String name() {
        return "hsj";
    }

    @Override
    public String describe() {
        return "HopSkipJump, Chen et al. 2020: gradient estimates from predicted labels alone, geometric steps and binary searches to the boundary, "
                + "5000 queries; minimum norm. L2 or L-inf, black box (decision-based), untargeted.";
    }

    @Override
    public boolean whiteBox() {
        return false;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.L2;
    }

    @Override
    public boolean targets() {
        return false;
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result in the norm; the search ignores it"),
                SharedOptions.steps(5000, "query budget per sample"), SharedOptions.seed("seed of the noise start and the gradient probes"));
    }

    @Override
    public AttackConfig defaults(Norm norm, double eps) {
        return new AttackConfig(norm, eps, 5000, 1.0, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.of("gamma", "double", d.gamma(), "sets the binary search's tolerance and the probes' radius"),
                OptionInfo.of("initEvals", "int", d.initEvals(), "gradient probes at the first iteration, growing as sqrt(t)"),
                OptionInfo.of("maxEvals", "int", d.maxEvals(), "the most probes of one gradient estimate"),
                OptionInfo.of("iterations", "int", d.iterations(), "the most iterations"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.real("gamma", d.gamma()), v.integer("initEvals", d.initEvals()), v.integer("maxEvals", d.maxEvals()),
                v.integer("iterations", d.iterations()));
    }

    @Override
    protected Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm) {
        Options o = (Options) resolve(cfg.options());
        Norm norm = cfg.norm();
        int n = criterion.size();
        int per = x.shape().sizeFrom(1);
        float[] box = model.bounds();
        float[] x0 = x.data();
        double theta = norm == Norm.L2 ? o.gamma() / (per * Math.sqrt(per)) : o.gamma() / ((double) per * per);
        SplittableRandom seeds = new SplittableRandom(cfg.seed());
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            rng[i] = seeds.split();
        }
        Decisions ask = new Decisions(model, criterion, queries, cfg.steps() - 1L, x.shape().tail());
        boolean[] found = new boolean[n];
        float[] cur = ask.start(x0, rng, box, found);
        int[] have = DeepFool.where(found, true);
        boundary(ask, x0, cur, have, per, norm, theta);
        double[] dist = new double[n];
        for (int s : have) {
            dist[s] = distance(x0, cur, s * per, per, norm);
        }
        float[] best = cur.clone();
        double[] bestDist = dist.clone();
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            done[i] = !found[i];
        }
        for (int t = 1; t <= o.iterations(); t++) {
            for (int i = 0; i < n; i++) {
                done[i] |= ask.remaining(i) - RESERVE < 2;
            }
            int[] live = DeepFool.where(done, false);
            if (live.length == 0) {
                break;
            }
            int evals = (int) Math.min(o.maxEvals(), Math.floor(o.initEvals() * Math.sqrt(t)));
            float[] dir = new float[n * per];
            for (int s : live) {
                double delta = t == 1 ? 0.1 * (box[1] - box[0]) : (norm == Norm.L2 ? Math.sqrt(per) : per) * theta * dist[s];
                int b = (int) Math.min(evals, ask.remaining(s) - RESERVE);
                gradient(ask, cur, s, per, delta, b, norm, rng[s], box, dir);
                if (norm == Norm.LINF) {
                    for (int j = s * per; j < (s + 1) * per; j++) {
                        dir[j] = Math.signum(dir[j]);
                    }
                }
            }
            // Geometric step search: halve eps until the step lands on the adversarial side.
            double[] eps = new double[n];
            for (int s : live) {
                eps[s] = dist[s] / Math.sqrt(t);
            }
            float[] next = cur.clone();
            boolean[] stepped = new boolean[n];
            int[] searching = live;
            for (int h = 0; h <= HALVINGS && searching.length > 0; h++) {
                searching = ask.withQueries(searching);
                float[] pts = new float[searching.length * per];
                for (int r = 0; r < searching.length; r++) {
                    int s = searching[r];
                    for (int j = 0; j < per; j++) {
                        pts[r * per + j] = (float) clip(cur[s * per + j] + eps[s] * dir[s * per + j], box);
                    }
                }
                boolean[] adv = ask.adversarial(pts, searching);
                int keep = 0;
                for (int r = 0; r < searching.length; r++) {
                    int s = searching[r];
                    if (adv[r]) {
                        stepped[s] = true;
                        System.arraycopy(pts, r * per, next, s * per, per);
                    } else {
                        eps[s] /= 2;
                        searching[keep++] = s;
                    }
                }
                searching = Arrays.copyOf(searching, keep);
            }
            for (int s : live) {
                done[s] |= !stepped[s];
            }
            int[] moved = DeepFool.where(stepped, true);
            boundary(ask, x0, next, moved, per, norm, theta);
            for (int s : moved) {
                System.arraycopy(next, s * per, cur, s * per, per);
                dist[s] = distance(x0, cur, s * per, per, norm);
                if (dist[s] < bestDist[s]) {
                    bestDist[s] = dist[s];
                    System.arraycopy(cur, s * per, best, s * per, per);
                }
            }
        }
        for (int s : have) {
            minimalNorm[s] = distance(x0, best, s * per, per, norm);
        }
        return new Tensor(x.shape(), best);
    }

    /**
     * Moves each adversarial point {@code p[s]} of the samples {@code of} to the boundary by binary search towards
     * {@code x0}, keeping the adversarial end; a sample out of queries stops where it is.
     */
    static void boundary(Decisions ask, float[] x0, float[] p, int[] of, int per, Norm norm, double theta) {
        int n = x0.length / per;
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] tol = new double[n];
        float[] from = p.clone();
        for (int s : of) {
            hi[s] = norm == Norm.L2 ? 1 : distance(x0, p, s * per, per, Norm.LINF);
            tol[s] = norm == Norm.L2 ? theta : Math.min(hi[s] * theta, theta);
        }
        int[] live = of;
        while (true) {
            live = ask.withQueries(Arrays.stream(live).filter(s -> hi[s] - lo[s] > tol[s]).toArray());
            if (live.length == 0) {
                break;
            }
            float[] pts = new float[live.length * per];
            for (int r = 0; r < live.length; r++) {
                int s = live[r];
                project(x0, from, s * per, per, (lo[s] + hi[s]) / 2, norm, pts, r * per);
            }
            boolean[] adv = ask.adversarial(pts, live);
            for (int r = 0; r < live.length; r++) {
                int s = live[r];
                double mid = (lo[s] + hi[s]) / 2;
                if (adv[r]) {
                    hi[s] = mid;
                } else {
                    lo[s] = mid;
                }
            }
        }
        for (int s : of) {
            project(x0, from, s * per, per, hi[s], norm, p, s * per);
        }
    }

    /** L2: the blend {@code (1 - a) x0 + a p}; L-inf: {@code p} clipped into {@code [x0 - a, x0 + a]}. */
    private static void project(float[] x0, float[] p, int o, int per, double a, Norm norm, float[] out, int oo) {
        if (norm == Norm.L2) {
            Decisions.blend(x0, p, o, per, a, out, oo);
            return;
        }
        for (int j = 0; j < per; j++) {
            out[oo + j] = (float) Math.max(x0[o + j] - a, Math.min(x0[o + j] + a, p[o + j]));
        }
    }

    /** The estimate of the decision function's gradient at {@code x[s]} from {@code b} probes, unit L2 norm, into {@code dir[s]}. */
    private static void gradient(Decisions ask, float[] x, int s, int per, double delta, int b, Norm norm, SplittableRandom r, float[] box,
                                 float[] dir) {
        double[] sumPhiU = new double[per];
        double[] sumU = new double[per];
        long phiSum = 0;
        int o = s * per;
        for (int from = 0; from < b; from += CHUNK) {
            int m = Math.min(CHUNK, b - from);
            float[] pts = new float[m * per];
            double[] u = new double[m * per];
            for (int q = 0; q < m; q++) {
                double len = 0;
                for (int j = 0; j < per; j++) {
                    double w = norm == Norm.L2 ? Decisions.gaussian(r) : 2 * r.nextDouble() - 1;
                    u[q * per + j] = w;
                    len += w * w;
                }
                len = Math.sqrt(len);
                for (int j = 0; j < per; j++) {
                    float v = (float) clip(x[o + j] + delta * u[q * per + j] / len, box);
                    pts[q * per + j] = v;
                    u[q * per + j] = (v - x[o + j]) / delta;
                }
            }
            int[] of = new int[m];
            Arrays.fill(of, s);
            boolean[] adv = ask.adversarial(pts, of);
            for (int q = 0; q < m; q++) {
                int phi = adv[q] ? 1 : -1;
                phiSum += phi;
                for (int j = 0; j < per; j++) {
                    sumPhiU[j] += phi * u[q * per + j];
                    sumU[j] += u[q * per + j];
                }
            }
        }
        double mean = (double) phiSum / b;
        double len = 0;
        double[] g = new double[per];
        for (int j = 0; j < per; j++) {
            g[j] = Math.abs(mean) == 1 ? mean * sumU[j] / b : (sumPhiU[j] - mean * sumU[j]) / b;
            len += g[j] * g[j];
        }
        len = Math.sqrt(len);
        for (int j = 0; j < per; j++) {
            dir[o + j] = len > 0 ? (float) (g[j] / len) : 0f;
        }
    }

    static double distance(float[] x0, float[] p, int o, int per, Norm norm) {
        float[] d = new float[per];
        for (int j = 0; j < per; j++) {
            d[j] = p[o + j] - x0[o + j];
        }
        return norm.measure(d, 0, per);
    }

    private static double clip(double v, float[] box) {
        return Math.max(box[0], Math.min(box[1], v));
    }
}
