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
 * The Square attack (Andriushchenko, Croce, Flammarion and Hein 2020, "Square Attack: a query-efficient black-box
 * adversarial attack via random search", ECCV): random search over square-shaped updates that reads only the
 * logits, never a gradient.
 *
 * <p>The loss is the margin {@code z_y - max_(j != y) z_j} (targeted: {@code max_(j != t) z_j - z_t}), lowered; a
 * candidate replaces the current point when it lowers the loss or fools the model. L-inf: the start adds
 * {@code +-eps} per channel and image column (vertical stripes); each step sets one random square window of side
 * {@code s} to {@code clean +- eps}, one sign per channel. L2: the start tiles the image with {@code h/5}-sized
 * squares of the paper's centred pseudo-Gaussian pattern {@code eta(s)} with random signs; each step moves the
 * perturbation's mass out of a second random window into a new {@code eta(s)} pattern on the first, keeping
 * {@code ||delta||_2 = eps} (before clipping into the box). The side follows the paper's schedule
 * {@code s = round(sqrt(p * C*H*W / C))} with {@code p} starting at {@code pInit} and halved after 10, 50, 200,
 * 500, 1000, 2000, 4000, 6000 and 8000 of 10000 iterations, rescaled to the query budget.
 *
 * <p>Defaults: a budget of 5000 queries ({@code steps}) per sample and restart, {@code pInit = 0.8} (AutoAttack's
 * setting), one restart. Every forward pass counts as one query of each sample in it: the clean image (samples
 * already misclassified, or at their target, are left as they are; counted in the first restart's budget), each
 * restart's start, each candidate. A sample stops once fooled.
 * Each sample draws from its own generator, split from the seed by its index, so its result does not depend on
 * the other samples of the batch. {@code stepSize} and {@code randomStart} are not used. Input
 * {@code [N,C,H,W]}, square images or not.
 *
 * <p>Deviations: square windows are drawn per sample (as AutoAttack's L-inf code does, and unlike its L2 code);
 * the L2 window norms are per channel, as in the authors' original code; an L-inf update that would leave the
 * window unchanged is redrawn at most 10 times instead of indefinitely.
 *
 * <p>Its own option ({@link Options}): {@code pInit}, as torchattacks' {@code Square(p_init=0.8)} and
 * AutoAttack's {@code p_init}.
 */
public final class Square extends Attack {
    /**
     * Square's own option: {@code pInit}, the fraction of the image's pixels the first squares cover, in
     * {@code (0,1]} (default 0.8, AutoAttack's setting; the paper tunes it per data set and norm); the schedule halves
     * it as the queries go. Larger values search with larger squares from the start.
     */
    public record Options(double pInit) implements AttackOptions {
        /** {@code pInit = 0.8}. */
        public static final Options DEFAULTS = new Options(0.8);

        public Options {
            if (!(pInit > 0 && pInit <= 1)) {
                throw new InvalidOptionException("pInit", "pInit must be in (0,1], got " + pInit);
            }
        }
    }

    @Override
    public String name() {
        return "square";
    }

    @Override
    public String describe() {
        return "Square, Andriushchenko et al. 2020: random search with square updates on the logit margin, 5000 queries. L-inf or L2, black box, targeted.";
    }

    @Override
    public boolean whiteBox() {
        return false;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.LINF;
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps(), SharedOptions.steps(5000, "query budget per sample and restart"), SharedOptions.restarts(1),
                SharedOptions.target(), SharedOptions.seed("seed of the random search and random targets"));
    }

    @Override
    public AttackConfig defaults(Norm n, double eps) {
        return new AttackConfig(n, eps, 5000, eps > 0 ? eps : 1e-3, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED, Options.DEFAULTS);
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(OptionInfo.of("pInit", "double", Options.DEFAULTS.pInit(), "fraction of the pixels the first squares cover, halved as the queries go"));
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.real("pInit", Options.DEFAULTS.pInit()));
    }

    /** The fraction {@code p} of pixels a square covers at iteration {@code it} of {@code budget}. */
    static double p(double pInit, int it, int budget) {
        int i = (int) ((long) it * 10000 / budget);
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        double p = pInit;
        for (int b : bounds) {
            if (i > b) {
                p /= 2;
            }
        }
        return p;
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        double pInit = ((Options) resolve(cfg.options())).pInit();
        int n = criterion.size();
        int per = x.shape().sizeFrom(1);
        Tensor clean = x.copy();
        Tensor best = x.copy();
        double[] bestLoss = new double[n];
        Arrays.fill(bestLoss, Double.POSITIVE_INFINITY);
        boolean[] done = new boolean[n];
        SplittableRandom seeds = new SplittableRandom(cfg.seed());
        // Samples the model already gets wrong (or sends to their target) stay as they are.
        int[] all = java.util.stream.IntStream.range(0, n).toArray();
        double[] cleanLoss = new double[n];
        evaluate(model, clean, all, criterion, queries, cleanLoss, done);
        for (int r = 0; r < cfg.restarts(); r++) {
            SplittableRandom[] rng = new SplittableRandom[n];
            for (int i = 0; i < n; i++) {
                rng[i] = seeds.split();
            }
            int[] active = Apgd.remaining(done, false);
            if (active.length == 0) {
                break;
            }
            Tensor c0 = clean.gather(active);
            Tensor cur = c0.copy();
            for (int s = 0; s < active.length; s++) {
                start(c0.data(), cur.data(), s * per, x.dim(1), x.dim(2), x.dim(3), cfg, rng[active[s]], model.bounds());
            }
            double[] loss = new double[active.length];
            boolean[] fooled = new boolean[active.length];
            evaluate(model, cur, active, criterion, queries, loss, fooled);
            for (int it = r == 0 ? 2 : 1; it < cfg.steps(); it++) {
                int[] live = Apgd.remaining(fooled, false);
                if (live.length == 0) {
                    break;
                }
                Tensor cand = cur.gather(live);
                for (int i = 0; i < live.length; i++) {
                    int s = live[i];
                    step(c0.data(), s * per, cand.data(), i * per, x.dim(1), x.dim(2), x.dim(3), p(pInit, it, cfg.steps()), cfg,
                            rng[active[s]], model.bounds());
                }
                double[] l = new double[live.length];
                boolean[] f = new boolean[live.length];
                int[] sub = new int[live.length];
                for (int i = 0; i < live.length; i++) {
                    sub[i] = active[live[i]];
                }
                evaluate(model, cand, sub, criterion, queries, l, f);
                for (int i = 0; i < live.length; i++) {
                    int s = live[i];
                    if (f[i] || l[i] < loss[s]) {
                        loss[s] = l[i];
                        fooled[s] = f[i];
                        System.arraycopy(cand.data(), i * per, cur.data(), s * per, per);
                    }
                }
            }
            for (int s = 0; s < active.length; s++) {
                int idx = active[s];
                if (fooled[s] || loss[s] < bestLoss[idx]) {
                    bestLoss[idx] = loss[s];
                    done[idx] = fooled[s];
                    System.arraycopy(cur.data(), s * per, best.data(), idx * per, per);
                }
            }
        }
        return best;
    }

    /** Margin loss and fooled flag of each sample of {@code xs}, whose indices in the batch are {@code idx}. */
    private static void evaluate(Classifier model, Tensor xs, int[] idx, Criterion criterion, long[] queries, double[] loss, boolean[] fooled) {
        Tensor z = model.logits(xs);
        int k = z.dim(1);
        int[] pred = z.argmaxRows();
        for (int i = 0; i < idx.length; i++) {
            boolean targeted = criterion.targeted(idx[i]);
            queries[idx[i]]++;
            int c = criterion.aim(idx[i]);
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (j != c) {
                    other = Math.max(other, z.data()[i * k + j]);
                }
            }
            double margin = z.data()[i * k + c] - other;
            loss[i] = targeted ? -margin : margin;
            fooled[i] = criterion.isAdversarial(idx[i], pred[i]);
        }
    }

    /** Writes the starting point of one sample into {@code cur[o, o+C*H*W)}. */
    private static void start(float[] clean, float[] cur, int o, int ch, int h, int w, AttackConfig cfg, SplittableRandom r, float[] box) {
        int per = ch * h * w;
        float eps = (float) cfg.eps();
        if (cfg.norm() == Norm.LINF) {
            for (int c = 0; c < ch; c++) {
                for (int col = 0; col < w; col++) {
                    float v = r.nextBoolean() ? eps : -eps;
                    for (int row = 0; row < h; row++) {
                        cur[o + (c * h + row) * w + col] += v;
                    }
                }
            }
        } else {
            float[] delta = new float[per];
            int s = Math.max(1, h / 5);
            int top = (h - s * 5) / 2;
            int left = (w - s * 5) / 2;
            for (int vh = top; vh + s <= h && vh < top + 5 * s; vh += s) {
                for (int vw = Math.max(0, left); vw + s <= w && vw < left + 5 * s; vw += s) {
                    float[] e = eta(s, r);
                    for (int c = 0; c < ch; c++) {
                        float sign = r.nextBoolean() ? 1f : -1f;
                        for (int a = 0; a < s; a++) {
                            for (int b = 0; b < s; b++) {
                                delta[(c * h + vh + a) * w + vw + b] += sign * e[a * s + b];
                            }
                        }
                    }
                }
            }
            setL2(clean, o, delta, cur, o, eps, box);
            return;
        }
        for (int j = o; j < o + per; j++) {
            cur[j] = Math.max(box[0], Math.min(box[1], cur[j]));
        }
    }

    /** Proposes one square update of the point {@code cand[co, co+C*H*W)} around {@code clean[o, ...)}. */
    private static void step(float[] clean, int o, float[] cand, int co, int ch, int h, int w, double p, AttackConfig cfg, SplittableRandom r,
                             float[] box) {
        int per = ch * h * w;
        int side = Math.min(h, w);
        int s = (int) Math.round(Math.sqrt(p * per / ch));
        float eps = (float) cfg.eps();
        if (cfg.norm() == Norm.LINF) {
            s = Math.max(1, Math.min(s, side - 1));
            int vh = r.nextInt(h - s + 1);
            int vw = r.nextInt(w - s + 1);
            for (int attempt = 0; attempt < 10; attempt++) {
                boolean changed = false;
                for (int c = 0; c < ch; c++) {
                    float v = r.nextBoolean() ? eps : -eps;
                    for (int a = 0; a < s; a++) {
                        for (int b = 0; b < s; b++) {
                            int j = (c * h + vh + a) * w + vw + b;
                            float nv = Math.max(box[0], Math.min(box[1], clean[o + j] + v));
                            changed |= nv != cand[co + j];
                            cand[co + j] = nv;
                        }
                    }
                }
                if (changed) {
                    break;
                }
            }
            return;
        }
        s = Math.max(3, s);
        if (s % 2 == 0) {
            s++;
        }
        s = Math.max(1, Math.min(s, side - 1));
        int vh = r.nextInt(h - s + 1);
        int vw = r.nextInt(w - s + 1);
        int vh2 = r.nextInt(h - s + 1);
        int vw2 = r.nextInt(w - s + 1);
        float[] delta = new float[per];
        double image = 0;
        for (int j = 0; j < per; j++) {
            delta[j] = cand[co + j] - clean[o + j];
            image += (double) delta[j] * delta[j];
        }
        float[] e = eta(s, r);
        double spare = Math.max((double) eps * eps - image, 0) / ch;
        float[] fresh = new float[s * s];
        for (int c = 0; c < ch; c++) {
            double window1 = 0;
            double windows = 0;
            for (int a = 0; a < h; a++) {
                for (int b = 0; b < w; b++) {
                    boolean in1 = a >= vh && a < vh + s && b >= vw && b < vw + s;
                    boolean in2 = a >= vh2 && a < vh2 + s && b >= vw2 && b < vw2 + s;
                    double d = delta[(c * h + a) * w + b];
                    if (in1) {
                        window1 += d * d;
                    }
                    if (in1 || in2) {
                        windows += d * d;
                    }
                }
            }
            window1 = Math.sqrt(window1);
            float sign = r.nextBoolean() ? 1f : -1f;
            double norm = 0;
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    double v = sign * e[a * s + b] + delta[(c * h + vh + a) * w + vw + b] / (1e-12 + window1);
                    fresh[a * s + b] = (float) v;
                    norm += v * v;
                }
            }
            float scale = (float) (Math.sqrt(spare + windows) / (1e-12 + Math.sqrt(norm)));
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    delta[(c * h + vh2 + a) * w + vw2 + b] = 0f;
                }
            }
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    delta[(c * h + vh + a) * w + vw + b] = fresh[a * s + b] * scale;
                }
            }
        }
        setL2(clean, o, delta, cand, co, eps, box);
    }

    /** {@code out = clip(clean + eps * delta / ||delta||_2)}. */
    private static void setL2(float[] clean, int o, float[] delta, float[] out, int oo, float eps, float[] box) {
        double norm = Norm.L2.measure(delta, 0, delta.length);
        float k = norm > 1e-12 ? (float) (eps / norm) : 0f;
        for (int j = 0; j < delta.length; j++) {
            out[oo + j] = Math.max(box[0], Math.min(box[1], clean[o + j] + k * delta[j]));
        }
    }

    /**
     * The paper's pseudo-Gaussian pattern on an {@code s x s} square: two stacked halves of nested rectangles
     * weighted {@code 1/(r+1)^2}, of opposite signs, unit L2 norm, transposed with probability 1/2.
     */
    static float[] eta(int s, SplittableRandom r) {
        float[] out = new float[s * s];
        int top = s / 2;
        rectangles(out, 0, top, s, 1f);
        rectangles(out, top, s - top, s, -1f);
        double norm = Norm.L2.measure(out, 0, out.length);
        for (int j = 0; j < out.length; j++) {
            out[j] /= (float) norm;
        }
        if (r.nextBoolean()) {
            float[] t = new float[s * s];
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    t[b * s + a] = out[a * s + b];
                }
            }
            return t;
        }
        return out;
    }

    /** Nested rectangles centred in rows {@code [row0, row0+x)} of an {@code s}-wide square, unit norm, times {@code sign}. */
    private static void rectangles(float[] out, int row0, int x, int y, float sign) {
        if (x == 0) {
            return;
        }
        double[] d = new double[x * y];
        int cx = x / 2 + 1;
        int cy = y / 2 + 1;
        int a0 = cx - 1;
        int b0 = cy - 1;
        for (int c = 0; c < Math.max(cx, cy); c++) {
            for (int a = Math.max(a0, 0); a < Math.min(a0 + 2 * c + 1, x); a++) {
                for (int b = Math.max(b0, 0); b < Math.min(b0 + 2 * c + 1, y); b++) {
                    d[a * y + b] += 1.0 / ((c + 1) * (c + 1));
                }
            }
            a0--;
            b0--;
        }
        double norm = 0;
        for (double v : d) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int a = 0; a < x; a++) {
            for (int b = 0; b < y; b++) {
                out[(row0 + a) * y + b] = (float) (sign * d[a * y + b] / norm);
            }
        }
    }
}
