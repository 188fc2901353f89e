package dev.fovea.attacks;

import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.ForwardingClassifier;
import dev.fovea.model.Criterion;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Models whose gradients mislead attacks, built from an honest classifier the way known defences mask gradients,
 * and a weak but genuine black-box attack to compare against. Each wrapper returns the exact value and the true
 * gradient of the function it computes, in float32 as the engine would: the masking comes from the function, not
 * from a faked gradient.
 */
final class MaskedModels {
    private MaskedModels() {
    }

    /** Forwards everything to an inner classifier. */
    abstract static class Wrapper extends ForwardingClassifier {
        Wrapper(Classifier inner) {
            super(inner);
        }

        @Override
        public List<String> layers() {
            return List.of();
        }

        @Override
        public Tensor activations(Tensor x, String layer) {
            throw new IllegalArgumentException("no layers");
        }

        @Override
        public LayerGradient layerGradient(Tensor x, String layer, Objective objective) {
            throw new IllegalArgumentException("no layers");
        }
    }

    /**
     * Logits multiplied by {@code scale} (defensive distillation at a high temperature, Carlini &amp; Wagner 2016):
     * the same predictions, but the softmax saturates, so the cross-entropy and its gradient are exactly zero in
     * floating point for every confidently classified sample.
     */
    static final class Saturated extends Wrapper {
        private final float scale;

        Saturated(Classifier inner, float scale) {
            super(inner);
            this.scale = scale;
        }

        @Override
        public Tensor logits(Tensor x) {
            return scaled(inner.logits(x));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            return inner.gradient(x, new Scaled(objective, scale));
        }

        private Tensor scaled(Tensor z) {
            float[] d = z.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] *= scale;
            }
            return new Tensor(z.shape(), d);
        }

        /** The objective on the scaled logits; its gradient on the inner logits by the chain rule. */
        private static final class Scaled extends Objective {
            private final Objective base;
            private final float scale;

            Scaled(Objective base, float scale) {
                this.base = base;
                this.scale = scale;
            }

            @Override
            public String layer() {
                return base.layer();
            }

            @Override
            public Evaluation evaluate(Tensor z) {
                float[] d = z.data().clone();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= scale;
                }
                Evaluation e = base.evaluate(new Tensor(z.shape(), d));
                float[] g = e.gradient().data().clone();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
                return new Evaluation(e.values(), new Tensor(z.shape(), g));
            }

            @Override
            public String describe() {
                return base.describe();
            }

            @Override
            public Objective slice(int from, int to) {
                return new Scaled(base.slice(from, to), scale);
            }
        }
    }

    /**
     * Pixels rounded to {@code levels} grey levels before the inner model (input quantisation, a shattered-gradient
     * defence, Guo et al. 2018): piecewise constant, so its true input gradient is zero almost everywhere.
     */
    static final class Quantised extends Wrapper {
        private final int levels;

        Quantised(Classifier inner, int levels) {
            super(inner);
            this.levels = levels;
        }

        @Override
        public Tensor logits(Tensor x) {
            return inner.logits(quantise(x));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            Tensor q = quantise(x);
            double[] values = objective.evaluate(inner.logits(q)).values();
            return new Gradient(values, Tensor.zeros(x.shape()));
        }

        private Tensor quantise(Tensor x) {
            float[] d = x.data().clone();
            int k = levels - 1;
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.round(d[i] * k) / (float) k;
            }
            return new Tensor(x.shape(), d);
        }
    }

    /**
     * The inner model on {@code sqrt(x)} (a contrast curve): its derivative {@code 1 / (2 sqrt(x))} is infinite at
     * black pixels, so the input gradient of any sample with a black pixel holds infinities or NaNs.
     */
    static final class SquareRoot extends Wrapper {
        SquareRoot(Classifier inner) {
            super(inner);
        }

        @Override
        public Tensor logits(Tensor x) {
            return inner.logits(root(x));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            Gradient g = inner.gradient(root(x), objective);
            float[] d = g.gradient().data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] *= 0.5f / (float) Math.sqrt(x.data()[i]);
            }
            return new Gradient(g.values(), new Tensor(x.shape(), d));
        }

        private static Tensor root(Tensor x) {
            float[] d = x.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) Math.sqrt(d[i]);
            }
            return new Tensor(x.shape(), d);
        }
    }

    /**
     * Gaussian noise of standard deviation {@code sigma} added to the input on every call (a randomised defence,
     * Athalye et al. 2018 section 4.2): each query sees another function, and the gradient is the true gradient
     * at the noisy point, one sample of the expectation. The noise comes from a fixed seed, so a test run is
     * reproducible.
     */
    static final class Noisy extends Wrapper {
        private final double sigma;
        private final SplittableRandom rng;

        Noisy(Classifier inner, double sigma, long seed) {
            super(inner);
            this.sigma = sigma;
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public Tensor logits(Tensor x) {
            return inner.logits(noisy(x));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            return inner.gradient(noisy(x), objective);
        }

        private synchronized Tensor noisy(Tensor x) {
            float[] d = x.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (sigma * Perturbations.gaussian(rng));
            }
            return new Tensor(x.shape(), d);
        }
    }

    /**
     * A black-box baseline: up to {@code steps} random corners {@code x + eps * s} of the L-inf ball (or random
     * directions of L2 length eps), s uniform per pixel and sample; each sample keeps the first that fools the
     * model and is not queried again.
     */
    static final class RandomSearch extends Attack {
        @Override
        public String name() {
            return "random-search";
        }

        @Override
        public String describe() {
            return "random corners of the ball (test baseline), black box";
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
            return List.of(SharedOptions.norm(this), SharedOptions.eps(), SharedOptions.steps(40, "random corners tried"), SharedOptions.seed("seed of the corners"));
        }

        @Override
        public AttackConfig defaults(Norm norm, double eps) {
            return new AttackConfig(norm, eps, 40, Math.max(eps, 1e-3), 1, true, Target.UNTARGETED, AttackConfig.DEFAULT_SEED);
        }

        @Override
        protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
            int n = criterion.size();
            int per = x.shape().sizeFrom(1);
            Tensor best = x.copy();
            boolean[] done = new boolean[n];
            SplittableRandom r = new SplittableRandom(cfg.seed());
            for (int s = 0; s < cfg.steps(); s++) {
                int[] live = java.util.stream.IntStream.range(0, n).filter(i -> !done[i]).toArray();
                if (live.length == 0) {
                    break;
                }
                Tensor origin = x.gather(live);
                Tensor cand = origin.copy();
                float[] d = new float[per];
                for (int i = 0; i < live.length; i++) {
                    for (int j = 0; j < per; j++) {
                        d[j] = cfg.norm() == Norm.LINF ? (r.nextBoolean() ? 1f : -1f) : (float) Perturbations.gaussian(r);
                    }
                    cfg.norm().steepest(d, 0, per);
                    for (int j = 0; j < per; j++) {
                        cand.data()[i * per + j] += (float) cfg.eps() * d[j];
                    }
                }
                Perturbations.projectInto(origin, cand, cfg.norm(), cfg.eps(), model.bounds());
                int[] pred = model.predict(cand);
                for (int i = 0; i < live.length; i++) {
                    int a = live[i];
                    queries[a]++;
                    if (criterion.isAdversarial(a, pred[i])) {
                        done[a] = true;
                        System.arraycopy(cand.data(), i * per, best.data(), a * per, per);
                    }
                }
            }
            return best;
        }
    }
}
