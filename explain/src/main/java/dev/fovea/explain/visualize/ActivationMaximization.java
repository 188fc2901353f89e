package dev.fovea.explain.visualize;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Activation maximisation (Erhan et al. 2009, "Visualizing Higher-Layer Features of a Deep Network"; Simonyan et
 * al. 2014; Olah et al. 2017, "Feature Visualization", and its Lucid/Lucent library): the input that most
 * excites an objective {@code h} (a class logit, a channel's mean, one neuron), found by gradient ascent on
 * <pre>
 *   max_p  E_T[ h(T(x(p))) ] - l2 * sum x^2 - tv * sum_{h,w} (rho(x[h,w+1]-x[h,w]) + rho(x[h+1,w]-x[h,w]))
 * </pre>
 * with {@code x(p)} the image's {@link Parameterization} (sigmoid of pixels, or of a 1/f-scaled Fourier
 * spectrum) so pixels stay in {@code [0,1]}, {@code rho(d) = sqrt(d^2 + 1e-4)} a smooth absolute value, and
 * {@code T} a fresh random {@link Warp} at each step (jitter by up to {@code jitter} pixels, scale in
 * {@code [1-scale, 1+scale]}, rotation in {@code [-rotate, rotate]} degrees), whose exact adjoint carries the
 * gradient back to {@code x}. Every {@code blurEvery} steps the parameters are blurred (Gaussian, {@code blurSigma}
 * pixels; on the spectrum for the Fourier parameterisation). Steps are Adam's (Kingma and Ba 2015) on {@code p}.
 *
 * <p>Shapes: {@code n} images {@code [n,C,H,W]} of the model's input shape are optimised together, sample
 * {@code i} for sample {@code i} of the objective (so one call can visualise every class, several random starts
 * each). Deterministic for a seed. Defaults ({@link Config#defaults()}) are tuned on the bundled Fashion-MNIST
 * models: 128 steps at learning rate 0.05 (0.01 for the Fourier parameterisation), pixel parameterisation, start grey 0.05, l2 0.005, tv 0.05, jitter 2,
 * scale 0.15, rotate 10, blur sigma 0.5 every 4 steps. Deviations from Lucid: the L2 penalty pulls towards black (the
 * background of the data sets at hand) rather than grey; the start may be a base image (the data's mean, after
 * Nguyen et al. 2016, "Multifaceted Feature Visualization"), which on small grey-scale data sets is what makes
 * class images recognisable; no colour decorrelation.
 */
public final class ActivationMaximization {
    /** Options, validated here; errors are {@link InvalidOptionException}s naming the component. */
    public record Config(int steps, double learningRate, Parameterization parameterization, double decay, double start, double l2,
                         double tv, int jitter, double scale, double rotate, int blurEvery, double blurSigma, long seed) {
        public static final long DEFAULT_SEED = 0L;
        /** The most gradient-ascent steps: 10,000 (Lucid's renders take 512 to 2560); each step's objective is kept. */
        public static final int MAX_STEPS = 10_000;

        public Config {
            if (steps < 1) {
                throw new InvalidOptionException("steps", "steps must be at least 1, got " + steps);
            }
            if (steps > MAX_STEPS) {
                throw new InvalidOptionException("steps", "steps must be at most " + MAX_STEPS + ", got " + steps);
            }
            positive("learningRate", learningRate);
            if (parameterization == null) {
                throw new IllegalArgumentException("activation maximisation: expected a parameterisation, got none");
            }
            nonNegative("decay", decay);
            if (!(start > 0 && start < 1)) {
                throw new InvalidOptionException("start", "start must be a grey level in (0,1), got " + start);
            }
            nonNegative("l2", l2);
            nonNegative("tv", tv);
            if (jitter < 0) {
                throw new InvalidOptionException("jitter", "jitter must be >= 0 pixels, got " + jitter);
            }
            if (!(scale >= 0 && scale < 1)) {
                throw new InvalidOptionException("scale", "scale must be in [0,1), got " + scale);
            }
            if (!(rotate >= 0 && rotate <= 180)) {
                throw new InvalidOptionException("rotate", "rotate must be in [0,180] degrees, got " + rotate);
            }
            if (blurEvery < 0) {
                throw new InvalidOptionException("blurEvery", "blurEvery must be >= 0 (0: never), got " + blurEvery);
            }
            nonNegative("blurSigma", blurSigma);
        }

        public static Config defaults() {
            return new Config(128, 0.05, Parameterization.PIXELS, 1.0, 0.05, 0.005, 0.05, 2, 0.15, 10, 4, 0.5, DEFAULT_SEED);
        }

        /** Adam's default learning rate for a parameterisation: 0.05 on pixels, 0.01 on the Fourier spectrum. */
        public static double defaultLearningRate(Parameterization p) {
            return p == Parameterization.FOURIER ? 0.01 : 0.05;
        }

        public Config withSeed(long s) {
            return new Config(steps, learningRate, parameterization, decay, start, l2, tv, jitter, scale, rotate, blurEvery, blurSigma, s);
        }

        public Config withSteps(int s) {
            return new Config(s, learningRate, parameterization, decay, start, l2, tv, jitter, scale, rotate, blurEvery, blurSigma, seed);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new InvalidOptionException(name, name + " must be positive, got " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidOptionException(name, name + " must be >= 0, got " + v);
            }
        }
    }

    /**
     * The images found, the objective at the start and at the end (on the untransformed images), and the
     * objective at each step (on that step's transformed images), {@code history[step][sample]}.
     */
    public record Result(Tensor images, double[] initial, double[] values, double[][] history) {
    }

    /** Called after each step; for progress bars. */
    public interface Listener {
        void step(int step, int steps);
    }

    private final Config config;

    public ActivationMaximization(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Optimises {@code n} images for the objective from the grey level {@code start}; the model is only read. */
    public Result run(Classifier model, Objective objective, int n, Listener listener) {
        float[] base = new float[model.inputShape().size()];
        java.util.Arrays.fill(base, (float) config.start());
        return run(model, objective, n, new Tensor(model.inputShape(), base), listener);
    }

    /**
     * Optimises {@code n} images for the objective around the base image {@code [C,H,W]} (for instance the data's
     * mean image, from which Nguyen et al. 2016 start; pixels clamped to {@code [0.01, 0.99]}); the model and the
     * base are only read.
     */
    public Result run(Classifier model, Objective objective, int n, Tensor start, Listener listener) {
        if (!start.shape().equals(model.inputShape())) {
            throw new IllegalArgumentException("activation maximisation: expected a start image " + model.inputShape() + ", got " + start.shape());
        }
        float[] base = start.data();
        if (n < 1) {
            throw new IllegalArgumentException("activation maximisation: expected at least one image, got " + n);
        }
        Shape shape = model.inputShape().withBatch(n);
        Parameterization par = config.parameterization();
        SplittableRandom rng = new SplittableRandom(config.seed());
        Tensor p = par.init(model.inputShape(), n, 0.01, rng.nextLong());
        FourierImage fourier = par == Parameterization.FOURIER ? FourierImage.of(shape, config.decay()) : null;
        double[] initial = model.gradient(par.image(p, shape, config.decay(), base), objective).values();
        float[] m = new float[p.size()];
        float[] v = new float[p.size()];
        double b1 = 0.9;
        double b2 = 0.999;
        double[][] history = new double[config.steps()][];
        for (int t = 1; t <= config.steps(); t++) {
            Tensor x = par.image(p, shape, config.decay(), base);
            Warp warp = randomWarp(shape, rng);
            Classifier.Gradient g = model.gradient(warp.apply(x), objective);
            history[t - 1] = g.values();
            float[] ascent = warp.adjoint(g.gradient()).data();
            regularize(x, ascent);
            float[] gp = par.backward(x, new Tensor(shape, ascent), p.shape(), config.decay()).data();
            float[] pd = p.data();
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < pd.length; i++) {
                m[i] = (float) (b1 * m[i] + (1 - b1) * gp[i]);
                v[i] = (float) (b2 * v[i] + (1 - b2) * gp[i] * gp[i]);
                pd[i] += (float) (config.learningRate() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
            if (config.blurEvery() > 0 && config.blurSigma() > 0 && t % config.blurEvery() == 0 && t < config.steps()) {
                p = fourier != null ? fourier.blur(p, config.blurSigma()) : dev.fovea.explain.Baselines.blur(p, config.blurSigma());
            }
            if (listener != null) {
                listener.step(t, config.steps());
            }
        }
        Tensor images = par.image(p, shape, config.decay(), base);
        double[] values = model.gradient(images, objective).values();
        return new Result(images, initial, values, history);
    }

    private Warp randomWarp(Shape shape, SplittableRandom rng) {
        int n = shape.dim(0);
        double[] dy = new double[n];
        double[] dx = new double[n];
        double[] s = new double[n];
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            dy[i] = config.jitter() == 0 ? 0 : rng.nextInt(-config.jitter(), config.jitter() + 1);
            dx[i] = config.jitter() == 0 ? 0 : rng.nextInt(-config.jitter(), config.jitter() + 1);
            s[i] = 1 + config.scale() * (2 * rng.nextDouble() - 1);
            a[i] = config.rotate() * (2 * rng.nextDouble() - 1);
        }
        return Warp.of(shape, dy, dx, s, a);
    }

    /** Subtracts the gradients of the L2 and total-variation penalties from the ascent direction. */
    private void regularize(Tensor x, float[] ascent) {
        float[] d = x.data();
        int h = x.dim(2);
        int w = x.dim(3);
        int planes = x.dim(0) * x.dim(1);
        double l2 = config.l2();
        double tv = config.tv();
        for (int i = 0; i < d.length; i++) {
            ascent[i] -= (float) (2 * l2 * d[i]);
        }
        if (tv == 0) {
            return;
        }
        for (int q = 0; q < planes; q++) {
            int o = q * h * w;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int i = o + y * w + xx;
                    if (xx + 1 < w) {
                        double diff = d[i + 1] - d[i];
                        double r = tv * diff / Math.sqrt(diff * diff + 1e-4);
                        ascent[i + 1] -= (float) r;
                        ascent[i] += (float) r;
                    }
                    if (y + 1 < h) {
                        double diff = d[i + w] - d[i];
                        double r = tv * diff / Math.sqrt(diff * diff + 1e-4);
                        ascent[i + w] -= (float) r;
                        ascent[i] += (float) r;
                    }
                }
            }
        }
    }
}
