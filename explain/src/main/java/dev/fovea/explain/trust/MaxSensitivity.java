package dev.fovea.explain.trust;

import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Max-sensitivity of Yeh et al., "On the (In)fidelity and Sensitivity of Explanations" (NeurIPS 2019), as Captum's
 * {@code captum.metrics.sensitivity_max} computes it: {@code SENS_max(a, x) = max_k ||a(x + d_k) - a(x)|| / ||a(x)||},
 * over {@code samples} perturbations {@code d_k} drawn uniformly from the L-inf ball of {@code radius} (Captum's
 * {@code default_perturb_func}; defaults 10 samples, radius 0.02, the Frobenius norm), the target classes held
 * fixed. A map of norm 0 is divided by 1, as Captum does. {@code x + d} is not clipped to the pixel box (neither
 * does Captum). A method whose maps do not move with the input (a constant map; saliency of a linear model) has
 * sensitivity 0.
 *
 * <p>Inputs {@code [N,C,H,W]}; the method runs once on {@code x} and once per draw on the whole perturbed batch,
 * with its configuration {@code cfg}. Draws follow {@code seed} and the sample's position.
 */
public final class MaxSensitivity {
    /** Captum's {@code n_perturb_samples}. */
    public static final int DEFAULT_SAMPLES = 10;
    /** Captum's {@code perturb_radius}. */
    public static final double DEFAULT_RADIUS = 0.02;
    /** The most perturbations per sample: 10,000. */
    public static final int MAX_SAMPLES = 10_000;

    private MaxSensitivity() {
    }

    /** Max-sensitivity per sample of {@code method}'s maps for {@code targets}. */
    public static double[] of(Classifier model, Attribution method, ExplainConfig cfg, Tensor x, int[] targets, double radius, int samples, long seed) {
        if (!(radius >= 0) || !Double.isFinite(radius)) {
            throw new InvalidOptionException("radius", "radius must be finite and >= 0, got " + radius);
        }
        return of(model, method, cfg, x, targets, samples, (i, k, dst, off, n) -> {
            SplittableRandom rng = new SplittableRandom(mix(seed, i, k));
            for (int j = 0; j < n; j++) {
                dst[off + j] = (float) (radius * (2 * rng.nextDouble() - 1));
            }
        });
    }

    static double[] of(Classifier model, Attribution method, ExplainConfig cfg, Tensor x, int[] targets, int samples, Infidelity.Noise noise) {
        checkSamples(samples);
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor a = method.attribute(model, x, targets, cfg).maps();
        int mp = a.shape().sizeFrom(1);
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * mp; j < (i + 1) * mp; j++) {
                s += (double) a.data()[j] * a.data()[j];
            }
            norm[i] = s == 0 ? 1 : Math.sqrt(s);
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        float[] d = new float[per];
        for (int k = 0; k < samples; k++) {
            Tensor moved = x.copy();
            for (int i = 0; i < n; i++) {
                noise.fill(i, k, d, 0, per);
                for (int j = 0; j < per; j++) {
                    moved.data()[i * per + j] += d[j];
                }
            }
            Tensor b = method.attribute(model, moved, targets, cfg).maps();
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = i * mp; j < (i + 1) * mp; j++) {
                    double e = (double) b.data()[j] - a.data()[j];
                    s += e * e;
                }
                out[i] = Math.max(out[i], Math.sqrt(s) / norm[i]);
            }
        }
        return out;
    }

    static void checkSamples(int samples) {
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new InvalidOptionException("samples", "samples must be in [1," + MAX_SAMPLES + "], got " + samples);
        }
    }

    /** A seed for draw {@code k} of sample {@code i}, from {@code seed} alone. */
    static long mix(long seed, int i, int k) {
        long z = seed + 0x9E3779B97F4A7C15L * (1 + i) + 0xC2B2AE3D27D4EB4FL * (1 + (long) k);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
