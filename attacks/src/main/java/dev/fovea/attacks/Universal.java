package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Universal adversarial perturbations (Moosavi-Dezfooli, Fawzi, Fawzi and Frossard, CVPR 2017, "Universal
 * adversarial perturbations"): one perturbation {@code v}, {@code ||v||_p <= eps}, that changes the model's
 * prediction on most images of a data set. Not an {@link Attack}: its result belongs to the data set, not to each
 * sample, and is meant to be measured on images it was not fitted on.
 *
 * <p>Algorithm 1 of the paper: starting from {@code v = 0}, each pass goes through the images in a random order
 * and, for each image {@code x} whose prediction {@code v} does not change yet ({@code k(x + v) = k(x)}), takes
 * DeepFool's minimal L2 step {@code r} sending {@code x + v} across the boundary of {@code k(x)} and sets
 * {@code v = P(v + r)}, {@code P} the projection onto the {@code eps} ball of the norm (L2: rescaling, L-inf:
 * clipping); DeepFool's step counts only if it fools within its steps, as in the authors' code. Passes go on until
 * the fooling rate {@code mean[k(clip(x + v)) != k(x)]} on the images reaches {@code foolingRate} ({@code 1 - delta})
 * or {@code passes} passes are done. Images with {@code v} added are clipped into the pixel box.
 *
 * <p>Defaults as the paper and its code ({@code universal.py}): {@code delta = 0.2} (fooling rate 0.8), DeepFool
 * with overshoot 0.02 and 10 steps ({@code max_iter_df}), 10 candidate classes; the authors' code has no cap on
 * the passes, fovea stops after {@code passes} (default 5). Images {@code [N,C,H,W]}, perturbation {@code [C,H,W]}.
 * Deviation: the images are clipped into the box (the authors' code works on mean-subtracted ImageNet images
 * without a box).
 */
public final class Universal {
    /**
     * The fit's options: the norm of the ball (L2 or L-inf) and its radius {@code eps} in pixel units, the fooling
     * rate at which the passes stop (in {@code (0,1]}, default 0.8), the most passes (at least 1, default 5),
     * DeepFool's steps (at least 1, default 10) and overshoot ({@code >= 0}, default 0.02), and the seed of the
     * order of the images.
     */
    public record Options(Norm norm, double eps, double foolingRate, int passes, int deepFoolSteps, double overshoot, long seed) {
        public Options {
            if (norm != Norm.L2 && norm != Norm.LINF) {
                throw new InvalidOptionException("norm", "norm: universal perturbations work in l2 or linf, got " + norm);
            }
            if (!(eps > 0) || !Double.isFinite(eps) || norm == Norm.LINF && eps > 1) {
                throw new InvalidOptionException("eps", "eps must be positive" + (norm == Norm.LINF ? " and at most 1 for linf" : "") + ", got " + eps);
            }
            if (!(foolingRate > 0 && foolingRate <= 1)) {
                throw new InvalidOptionException("foolingRate", "foolingRate must be in (0,1], got " + foolingRate);
            }
            if (passes < 1 || passes > 100) {
                throw new InvalidOptionException("passes", "passes must be in [1,100], got " + passes);
            }
            if (deepFoolSteps < 1 || deepFoolSteps > AttackConfig.MAX_STEPS) {
                throw new InvalidOptionException("deepFoolSteps", "deepFoolSteps must be in [1," + AttackConfig.MAX_STEPS + "], got " + deepFoolSteps);
            }
            if (!(overshoot >= 0) || !Double.isFinite(overshoot)) {
                throw new InvalidOptionException("overshoot", "overshoot must be >= 0, got " + overshoot);
            }
        }

        /** The paper's settings at {@code eps} in {@code norm}, seed 0. */
        public static Options defaults(Norm norm, double eps) {
            return new Options(norm, eps, 0.8, 5, 10, 0.02, AttackConfig.DEFAULT_SEED);
        }

        public Options withPasses(int p) {
            return new Options(norm, eps, foolingRate, p, deepFoolSteps, overshoot, seed);
        }

        public Options withFoolingRate(double f) {
            return new Options(norm, eps, f, passes, deepFoolSteps, overshoot, seed);
        }

        public Options withSeed(long s) {
            return new Options(norm, eps, foolingRate, passes, deepFoolSteps, overshoot, s);
        }
    }

    /** The perturbation {@code [C,H,W]}, the fooling rate on the fitting images after each pass, and the model calls spent. */
    public record Result(Tensor perturbation, List<Double> foolingRates, long queries) {
        public Result {
            foolingRates = List.copyOf(foolingRates);
        }

        /** The fooling rate on the fitting images at the end. */
        public double foolingRate() {
            return foolingRates.get(foolingRates.size() - 1);
        }
    }

    private Universal() {
    }

    /** Fits a universal perturbation to the images {@code x [N,C,H,W]} (never changed). */
    public static Result fit(Classifier model, Tensor x, Options o) {
        if (x.shape().rank() != 4 || x.dim(0) < 1) {
            throw new IllegalArgumentException("universal: expected images [N,C,H,W] with N >= 1, got " + x.shape());
        }
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        float[] box = model.bounds();
        int[] clean = model.predict(x);
        long queries = n;
        DeepFool deepFool = new DeepFool();
        AttackConfig df = deepFool.defaults(Norm.L2, Math.sqrt(per) * (box[1] - box[0])).withSteps(o.deepFoolSteps())
                .withOptions(DeepFool.Options.DEFAULTS.withOvershoot(o.overshoot()));
        float[] v = new float[per];
        SplittableRandom rng = new SplittableRandom(o.seed());
        List<Double> rates = new ArrayList<>();
        for (int pass = 0; pass < o.passes(); pass++) {
            int[] order = shuffled(n, rng);
            for (int i : order) {
                Tensor xv = add(x.slice(i, i + 1), v, box);
                queries++;
                if (model.predict(xv)[0] != clean[i]) {
                    continue;
                }
                AttackResult r = deepFool.run(model, xv, new int[] {clean[i]}, df);
                queries += r.queries()[0] + 2;
                if (!Double.isFinite(r.minimalNorm()[0])) {
                    continue;
                }
                for (int j = 0; j < per; j++) {
                    v[j] += r.adversarial().data()[j] - xv.data()[j];
                }
                o.norm().project(v, 0, per, o.eps());
            }
            double rate = foolingRate(model, x, clean, v);
            queries += n;
            rates.add(rate);
            if (rate >= o.foolingRate()) {
                break;
            }
        }
        return new Result(new Tensor(x.shape().tail(), v), rates, queries);
    }

    /** {@code clip(x + v)} for every image of {@code x}; {@code v} is {@code [C,H,W]}. */
    public static Tensor add(Tensor x, float[] v, float[] box) {
        int per = v.length;
        if (x.shape().sizeFrom(1) != per) {
            throw new IllegalArgumentException("universal: expected images of " + per + " values, got " + x.shape());
        }
        float[] out = x.data().clone();
        for (int j = 0; j < out.length; j++) {
            out[j] = Math.max(box[0], Math.min(box[1], out[j] + v[j % per]));
        }
        return new Tensor(x.shape(), out);
    }

    /** The fraction of images whose prediction {@code v} changes from {@code clean} (the model's on {@code x}). */
    public static double foolingRate(Classifier model, Tensor x, int[] clean, float[] v) {
        int[] p = model.predict(add(x, v, model.bounds()));
        int changed = 0;
        for (int i = 0; i < p.length; i++) {
            changed += p[i] != clean[i] ? 1 : 0;
        }
        return (double) changed / p.length;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
