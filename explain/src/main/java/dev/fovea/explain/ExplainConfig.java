package dev.fovea.explain;

import dev.fovea.tensor.Tensor;

/**
 * The options of every attribution method, validated here; each method reads the ones it uses and ignores the
 * rest. Messages name the command-line option ({@code --noise must be >= 0, got -1}).
 *
 * <ul>
 *   <li>{@code steps}: integration points of Integrated Gradients (default 32);</li>
 *   <li>{@code samples}: noisy copies of SmoothGrad and VarGrad (default 32);</li>
 *   <li>{@code noise}: standard deviation of SmoothGrad's Gaussian noise as a fraction of the pixel range
 *       {@code hi - lo} (default 0.15, the paper's 10-20%);</li>
 *   <li>{@code baseline}, {@code baselineImage}: Integrated Gradients' reference input; the image {@code [C,H,W]}
 *       or {@code [N,C,H,W]} is required for {@link Baseline#IMAGE} and ignored otherwise;</li>
 *   <li>{@code rule}: the quadrature of the path integral (default Gauss-Legendre);</li>
 *   <li>{@code layer}: the layer of Grad-CAM and Grad-CAM++; {@code null} picks the last convolutional one;</li>
 *   <li>{@code window}, {@code stride}, {@code baselineValue}: occlusion's square patch, its step, and the value
 *       that fills it (defaults 4, 2, 0);</li>
 *   <li>{@code score}: what occlusion and the gradient methods explain, the target's logit (default) or its
 *       softmax probability;</li>
 *   <li>{@code batch}: samples per internal model call, bounding memory; results do not depend on it;</li>
 *   <li>{@code seed}: every random draw (noise, uniform baselines) follows it.</li>
 * </ul>
 */
public record ExplainConfig(int steps, int samples, double noise, Baseline baseline, Tensor baselineImage, Rule rule, String layer,
                            int window, int stride, double baselineValue, Score score, int batch, long seed) {
    public static final long DEFAULT_SEED = 0L;

    /** Integrated Gradients' reference input. */
    public enum Baseline {
        /** All pixels at the lower bound. */
        BLACK,
        /** The input blurred by a Gaussian of sigma 5 pixels (Sturmfels et al. 2020). */
        BLURRED,
        /** Uniform noise in the pixel box, drawn from the seed. */
        UNIFORM,
        /** A given image. */
        IMAGE
    }

    /** Quadrature rules for the path integral {@code int_0^1 g(a) da} with {@code m} steps. */
    public enum Rule {
        /** Points {@code k/m}, {@code k = 0..m-1}, weights {@code 1/m}. */
        LEFT,
        /** Points {@code k/m}, {@code k = 1..m}, weights {@code 1/m}. */
        RIGHT,
        /** Points {@code (k + 1/2)/m}, weights {@code 1/m}. */
        MIDDLE,
        /** Points {@code k/(m-1)}, {@code k = 0..m-1}, end weights halved. */
        TRAPEZOID,
        /** Gauss-Legendre nodes and weights mapped to [0,1] (exact for polynomials of degree {@code 2m-1}). */
        GAUSS_LEGENDRE
    }

    /** The scalar explained per sample. */
    public enum Score {
        LOGIT, PROBABILITY
    }

    public ExplainConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        if (rule == Rule.TRAPEZOID && steps < 2) {
            throw new IllegalArgumentException("--steps must be >= 2 for the trapezoid rule, got " + steps);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("--noise must be >= 0, got " + fmt(noise));
        }
        if (baseline == null || rule == null || score == null) {
            throw new IllegalArgumentException("explain: baseline, rule and score are required");
        }
        if (baseline == Baseline.IMAGE && baselineImage == null) {
            throw new IllegalArgumentException("--baseline image needs --baseline-image FILE");
        }
        if (baselineImage != null && baselineImage.shape().rank() != 3 && baselineImage.shape().rank() != 4) {
            throw new IllegalArgumentException("--baseline-image: expected [C,H,W] or [N,C,H,W], got " + baselineImage.shape());
        }
        if (window < 1) {
            throw new IllegalArgumentException("--window must be >= 1, got " + window);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("--stride must be >= 1, got " + stride);
        }
        if (!Double.isFinite(baselineValue)) {
            throw new IllegalArgumentException("--baseline-value must be finite, got " + baselineValue);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batch);
        }
        if (layer != null && layer.isBlank()) {
            layer = null;
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The defaults: 32 steps (Gauss-Legendre), 32 samples at noise 0.15, black baseline, 4x4 window at stride 2, logit. */
    public static ExplainConfig defaults() {
        return new ExplainConfig(32, 32, 0.15, Baseline.BLACK, null, Rule.GAUSS_LEGENDRE, null, 4, 2, 0.0, Score.LOGIT, 64, DEFAULT_SEED);
    }

    public ExplainConfig withSteps(int v) {
        return new ExplainConfig(v, samples, noise, baseline, baselineImage, rule, layer, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withSamples(int v) {
        return new ExplainConfig(steps, v, noise, baseline, baselineImage, rule, layer, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withNoise(double v) {
        return new ExplainConfig(steps, samples, v, baseline, baselineImage, rule, layer, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withBaseline(Baseline v, Tensor image) {
        return new ExplainConfig(steps, samples, noise, v, image, rule, layer, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withRule(Rule v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, v, layer, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withLayer(String v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, v, window, stride, baselineValue, score, batch, seed);
    }

    public ExplainConfig withWindow(int w, int s) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, layer, w, s, baselineValue, score, batch, seed);
    }

    public ExplainConfig withBaselineValue(double v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, layer, window, stride, v, score, batch, seed);
    }

    public ExplainConfig withScore(Score v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, layer, window, stride, baselineValue, v, batch, seed);
    }

    public ExplainConfig withBatch(int v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, layer, window, stride, baselineValue, score, v, seed);
    }

    public ExplainConfig withSeed(long v) {
        return new ExplainConfig(steps, samples, noise, baseline, baselineImage, rule, layer, window, stride, baselineValue, score, batch, v);
    }
}
