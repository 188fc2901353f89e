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
 * The Boundary attack (Brendel, Rauber and Bethge, ICLR 2018, "Decision-based adversarial attacks: reliable attacks
 * against black-box machine learning models"): a minimum-norm L2 attack that sees only the predicted label. It
 * starts from an adversarial point far away and walks along the decision boundary towards the clean image.
 *
 * <p>With {@code x0} the clean image, {@code x} the current adversarial point, {@code s = x0 - x} and
 * {@code r = ||s||_2}, each step draws {@code eta ~ N(0, I)}, removes its component along {@code s}, scales it to
 * length {@code sphericalStep * r}, and proposes
 * <pre>
 *   spherical = clip(x0 + (eta - s) / sqrt(sphericalStep^2 + 1))          on the sphere of radius r around x0
 *   candidate = clip(spherical + l (x0 - spherical)),  l = max(0, sourceStep r + ||x0 - spherical|| - r) / ||x0 - spherical||
 * </pre>
 * (a step of {@code sourceStep * r} towards {@code x0}, corrected for the sphere's numerical deviation). The candidate
 * replaces {@code x} when it is adversarial and closer. Every {@code statsEvery}-th step also asks about the
 * spherical point, and once the last 100 such answers are in, a success rate above 0.5 multiplies both step sizes
 * by {@code stepAdaptation} and one below 0.2 divides them (the boundary is locally flat, or not); once the last
 * 30 candidates' answers are in, a rate above 0.25 multiplies the source step and one below 0.1 divides it. A
 * sample stops when its source step falls below {@code convergence} or its queries run out.
 *
 * <p>The start: uniform noise in the box until a draw is adversarial (at most 100 draws), then a binary search of
 * the blend {@code (1 - a) x0 + a noise} towards {@code x0} ({@link Decisions#start}).
 *
 * <p>Defaults as Foolbox 3's {@code BoundaryAttack}: {@code sphericalStep = sourceStep = 0.01},
 * {@code stepAdaptation = 1.5}, {@code convergence = 1e-7} ({@code source_step_convergance}),
 * {@code statsEvery = 10} ({@code update_stats_every_k}); the budget is {@code steps} = 5000 queries per sample
 * (Foolbox's 25,000 steps would be about 27,500 queries, above {@link AttackConfig#MAX_STEPS}). Each point asked
 * about counts one query, as do the template's first check of the clean image and the start's draws and
 * searches. Each sample draws from its own generator split from the seed by its index. Images {@code [N,C,H,W]}.
 *
 * <p>Deviations: a binary blending search for the start instead of Foolbox's 50-step linear one (fewer
 * queries, a closer start); Gaussian draws per sample (Foolbox shares one per batch); untargeted only (Foolbox
 * needs a starting image of the target class for a targeted run, which fovea has no way to give); L2 only, as the
 * paper and Foolbox define it ({@code hsj} has an L-inf form).
 */
public final class Boundary extends MinimumNormAttack {
    /**
     * The Boundary attack's own options:
     * <ul>
     *   <li>{@code sphericalStep}: the orthogonal step's length relative to the distance, {@code > 0} (default
     *       0.01);</li>
     *   <li>{@code sourceStep}: the step towards the clean image relative to the distance, {@code > 0} (default
     *       0.01);</li>
     *   <li>{@code stepAdaptation}: the factor by which the step sizes grow or shrink, {@code > 1} (default 1.5);</li>
     *   <li>{@code convergence}: a sample stops when its source step falls below it, {@code >= 0} (default 1e-7);</li>
     *   <li>{@code statsEvery}: every how many steps the spherical point is asked about and the step sizes adapted,
     *       at least 1 (default 10).</li>
     * </ul>
     */
    public record Options(double sphericalStep, double sourceStep, double stepAdaptation, double convergence, int statsEvery) implements AttackOptions {
        public static final Options DEFAULTS = new Options(0.01, 0.01, 1.5, 1e-7, 10);

        public Options {
            if (!(sphericalStep > 0) || !Double.isFinite(sphericalStep)) {
                throw new InvalidOptionException("sphericalStep", "sphericalStep must be positive, got " + sphericalStep);
            }
            if (!(sourceStep > 0) || !Double.isFinite(sourceStep)) {
                throw new InvalidOptionException("sourceStep", "sourceStep must be positive, got " + sourceStep);
            }
            if (!(stepAdaptation > 1) || !Double.isFinite(stepAdaptation)) {
                throw new InvalidOptionException("stepAdaptation", "stepAdaptation must be > 1, got " + stepAdaptation);
            }
            if (!(convergence >= 0) || !Double.isFinite(convergence)) {
                throw new InvalidOptionException("convergence", "convergence must be >= 0, got " + convergence);
            }
            if (statsEvery < 1) {
                throw new InvalidOptionException("statsEvery", "statsEvery must be at least 1, got " + statsEvery);
            }
        }
    }

    static final int SPHERICAL_WINDOW = 100;
    static final int STEP_WINDOW = 30;

    @Override
    public String name() {
        return "boundary";
    }

    @Override
    public String describe() {
        return "Boundary attack, Brendel et al. 2018: a walk along the decision boundary towards the image, from predicted labels alone, 5000 queries; "
                + "minimum norm. L2, black box (decision-based), untargeted.";
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
    public java.util.Set<Norm> norms() {
        return java.util.EnumSet.of(Norm.L2);
    }

    @Override
    public boolean targets() {
        return false;
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps("bound on the result in the norm; the search ignores it"),
                SharedOptions.steps(5000, "query budget per sample"), SharedOptions.seed("seed of the noise start and the random steps"));
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
        return List.of(OptionInfo.of("sphericalStep", "double", d.sphericalStep(), "orthogonal step relative to the distance"),
                OptionInfo.of("sourceStep", "double", d.sourceStep(), "step towards the image relative to the distance"),
                OptionInfo.of("stepAdaptation", "double", d.stepAdaptation(), "factor by which the steps grow or shrink"),
                OptionInfo.of("convergence", "double", d.convergence(), "a sample stops when its source step falls below it"),
                OptionInfo.of("statsEvery", "int", d.statsEvery(), "steps between checks of the spherical point and step adaptations"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.real("sphericalStep", d.sphericalStep()), v.real("sourceStep", d.sourceStep()),
                v.real("stepAdaptation", d.stepAdaptation()), v.real("convergence", d.convergence()), v.integer("statsEvery", d.statsEvery()));
    }

    @Override
    protected Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm) {
        Options o = (Options) resolve(cfg.options());
        int n = criterion.size();
        int per = x.shape().sizeFrom(1);
        float[] box = model.bounds();
        float[] x0 = x.data();
        SplittableRandom seeds = new SplittableRandom(cfg.seed());
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) {
            rng[i] = seeds.split();
        }
        // The template's check of the clean image took one query of the budget.
        Decisions ask = new Decisions(model, criterion, queries, cfg.steps() - 1L, x.shape().tail());
        boolean[] found = new boolean[n];
        float[] best = ask.start(x0, rng, box, found);
        double[] spherical = new double[n];
        double[] source = new double[n];
        Arrays.fill(spherical, o.sphericalStep());
        Arrays.fill(source, o.sourceStep());
        Window[] sphStats = new Window[n];
        Window[] stepStats = new Window[n];
        for (int i = 0; i < n; i++) {
            sphStats[i] = new Window(SPHERICAL_WINDOW);
            stepStats[i] = new Window(STEP_WINDOW);
        }
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            done[i] = !found[i];
        }
        for (int step = 1; ; step++) {
            boolean stats = step % o.statsEvery() == 0;
            int need = stats ? 2 : 1;
            for (int i = 0; i < n; i++) {
                done[i] |= source[i] < o.convergence() || ask.remaining(i) < need;
            }
            int[] live = DeepFool.where(done, false);
            if (live.length == 0) {
                break;
            }
            int m = live.length;
            float[] pts = new float[(stats ? 2 * m : m) * per];
            int[] of = new int[stats ? 2 * m : m];
            double[] dist = new double[m];
            for (int r = 0; r < m; r++) {
                int s = live[r];
                of[r] = s;
                dist[r] = propose(x0, best, s * per, per, spherical[s], source[s], rng[s], box, pts, r * per, stats ? (m + r) * per : -1);
                if (stats) {
                    of[m + r] = s;
                }
            }
            boolean[] adv = ask.adversarial(pts, of);
            for (int r = 0; r < m; r++) {
                int s = live[r];
                double d = 0;
                for (int j = 0; j < per; j++) {
                    double v = x0[s * per + j] - pts[r * per + j];
                    d += v * v;
                }
                if (adv[r] && Math.sqrt(d) < dist[r]) {
                    System.arraycopy(pts, r * per, best, s * per, per);
                }
                if (stats) {
                    sphStats[s].add(adv[m + r]);
                    stepStats[s].add(adv[r]);
                    if (sphStats[s].full()) {
                        double p = sphStats[s].mean();
                        if (p > 0.5 || p < 0.2) {
                            double f = p > 0.5 ? o.stepAdaptation() : 1 / o.stepAdaptation();
                            spherical[s] *= f;
                            source[s] *= f;
                            sphStats[s].clear();
                        }
                    }
                    if (stepStats[s].full()) {
                        double p = stepStats[s].mean();
                        if (p > 0.25 || p < 0.1) {
                            source[s] *= p > 0.25 ? o.stepAdaptation() : 1 / o.stepAdaptation();
                            stepStats[s].clear();
                        }
                    }
                }
            }
        }
        float[] d = new float[per];
        for (int i = 0; i < n; i++) {
            if (found[i]) {
                for (int j = 0; j < per; j++) {
                    d[j] = best[i * per + j] - x0[i * per + j];
                }
                minimalNorm[i] = Norm.L2.measure(d, 0, per);
            }
        }
        return new Tensor(x.shape(), best);
    }

    /**
     * Writes the candidate of sample {@code x[o, o+per)} into {@code out[co, ...)} and, when {@code so >= 0}, its
     * spherical point into {@code out[so, ...)}; returns the current distance {@code ||x0 - x||_2}.
     */
    private static double propose(float[] x0, float[] x, int o, int per, double sph, double src, SplittableRandom r, float[] box, float[] out,
                                  int co, int so) {
        double[] s = new double[per];
        double norm = 0;
        for (int j = 0; j < per; j++) {
            s[j] = (double) x0[o + j] - x[o + j];
            norm += s[j] * s[j];
        }
        norm = Math.sqrt(norm);
        double[] eta = new double[per];
        double dot = 0;
        for (int j = 0; j < per; j++) {
            eta[j] = Decisions.gaussian(r);
            dot += eta[j] * s[j] / norm;
        }
        double en = 0;
        for (int j = 0; j < per; j++) {
            eta[j] -= dot * s[j] / norm;
            en += eta[j] * eta[j];
        }
        double scale = en > 0 ? sph * norm / Math.sqrt(en) : 0;
        double back = Math.sqrt(sph * sph + 1);
        double[] sp = new double[per];
        double nn = 0;
        for (int j = 0; j < per; j++) {
            sp[j] = clip(x0[o + j] + (eta[j] * scale - s[j]) / back, box);
            double t = x0[o + j] - sp[j];
            nn += t * t;
        }
        nn = Math.sqrt(nn);
        double length = nn > 0 ? Math.max(0, src * norm + nn - norm) / nn : 0;
        for (int j = 0; j < per; j++) {
            out[co + j] = (float) clip(sp[j] + length * (x0[o + j] - sp[j]), box);
            if (so >= 0) {
                out[so + j] = (float) sp[j];
            }
        }
        return norm;
    }

    private static double clip(double v, float[] box) {
        return Math.max(box[0], Math.min(box[1], v));
    }

    /** The last answers of one kind for one sample, as Foolbox's {@code ArrayQueue}: full once {@code size} are in. */
    static final class Window {
        private final boolean[] seen;
        private int count;
        private int next;
        private int hits;

        Window(int size) {
            seen = new boolean[size];
        }

        void add(boolean b) {
            if (count == seen.length) {
                hits -= seen[next] ? 1 : 0;
            } else {
                count++;
            }
            seen[next] = b;
            hits += b ? 1 : 0;
            next = (next + 1) % seen.length;
        }

        boolean full() {
            return count == seen.length;
        }

        double mean() {
            return count == 0 ? Double.NaN : (double) hits / count;
        }

        void clear() {
            count = 0;
            hits = 0;
            next = 0;
        }
    }
}
