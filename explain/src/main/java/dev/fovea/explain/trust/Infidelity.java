package dev.fovea.explain.trust;

import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Scores;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Infidelity of Yeh et al., "On the (In)fidelity and Sensitivity of Explanations" (NeurIPS 2019), as Captum's
 * {@code captum.metrics.infidelity} computes it: for perturbations {@code I} of the input,
 * {@code INFD(a, x) = E_I[(I . a - (S_t(x) - S_t(x - I)))^2]}, the squared error of the attribution read as a
 * linear model of the score's change, estimated over {@code samples} draws per sample (Captum's
 * {@code n_perturb_samples}, default 10). The perturbations are Gaussian, {@code I ~ N(0, sigma^2)} per input
 * value with {@code sigma} 0.003 (the perturbation of Captum's documented example; Captum requires the caller to
 * give one), and {@code x - I} is not clipped to the pixel box (neither does Captum). With {@code normalize}
 * (Captum's option, default off) the attribution is first scaled by the least-squares
 * {@code beta = E[(I . a) dS] / E[(I . a)^2]}, so that only its direction is judged. The exact gradient of a linear
 * score has infidelity 0 under any perturbation.
 *
 * <p>Inputs {@code [N,C,H,W]}; maps {@code [N,C,H,W]}, or {@code [N,1,H,W]} read as the same value for every
 * channel (a deviation: Captum requires the input's shape). Draws follow {@code seed} and the sample's position; the
 * model sees {@code samples} rows per sample in chunks of at most {@code batch}.
 */
public final class Infidelity {
    /** Captum's {@code n_perturb_samples}. */
    public static final int DEFAULT_SAMPLES = 10;
    /** The standard deviation of Captum's documented perturbation. */
    public static final double DEFAULT_SIGMA = 0.003;

    /** Writes perturbation {@code k} of sample {@code i} ({@code n} values) into {@code dst} at {@code off}. */
    interface Noise {
        void fill(int i, int k, float[] dst, int off, int n);
    }

    private Infidelity() {
    }

    /** Infidelity per sample of {@code maps} for the {@code targets}' scores, Gaussian perturbations of {@code sigma}. */
    public static double[] of(Classifier model, Tensor x, Tensor maps, int[] targets, ExplainConfig.Score score, double sigma, int samples,
                              boolean normalize, long seed, int batch) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new InvalidOptionException("sigma", "sigma must be finite and > 0, got " + sigma);
        }
        return of(model, x, maps, targets, score, samples, normalize, batch, (i, k, dst, off, n) -> {
            SplittableRandom rng = new SplittableRandom(MaxSensitivity.mix(seed, i, k));
            for (int j = 0; j < n; j++) {
                dst[off + j] = (float) (sigma * rng.nextGaussian());
            }
        });
    }

    static double[] of(Classifier model, Tensor x, Tensor maps, int[] targets, ExplainConfig.Score score, int samples, boolean normalize, int batch,
                       Noise noise) {
        MaxSensitivity.checkSamples(samples);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        int per = c * hw;
        if (maps.shape().rank() != 4 || maps.dim(0) != n || maps.dim(2) != x.dim(2) || maps.dim(3) != x.dim(3) || (maps.dim(1) != 1 && maps.dim(1) != c)) {
            throw new IllegalArgumentException("infidelity: expected maps [" + n + ",1 or " + c + "," + x.dim(2) + "," + x.dim(3) + "] for images "
                    + x.shape() + ", got " + maps.shape());
        }
        if (targets.length != n) {
            throw new IllegalArgumentException("infidelity: expected " + n + " targets, got " + targets.length);
        }
        if (batch < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be >= 1, got " + batch);
        }
        int mc = maps.dim(1);
        double[] clean = Scores.of(model, x, targets, score, batch);
        double[] out = new double[n];
        float[] pert = new float[per];
        for (int i = 0; i < n; i++) {
            double sumDot2 = 0;
            double sumDotDf = 0;
            double sumDf2 = 0;
            double sumErr = 0;
            for (int from = 0; from < samples; from += batch) {
                int m = Math.min(batch, samples - from);
                float[] rows = new float[m * per];
                double[] dot = new double[m];
                for (int r = 0; r < m; r++) {
                    noise.fill(i, from + r, pert, 0, per);
                    for (int ch = 0; ch < c; ch++) {
                        for (int p = 0; p < hw; p++) {
                            int j = ch * hw + p;
                            rows[r * per + j] = x.data()[i * per + j] - pert[j];
                            dot[r] += (double) pert[j] * maps.data()[(i * mc + (mc == 1 ? 0 : ch)) * hw + p];
                        }
                    }
                }
                int[] t = new int[m];
                java.util.Arrays.fill(t, targets[i]);
                double[] s = Scores.fromLogits(model.logits(new Tensor(model.inputShape().withBatch(m), rows)), t, score);
                for (int r = 0; r < m; r++) {
                    double df = clean[i] - s[r];
                    sumDot2 += dot[r] * dot[r];
                    sumDotDf += dot[r] * df;
                    sumDf2 += df * df;
                    sumErr += (dot[r] - df) * (dot[r] - df);
                }
            }
            if (normalize) {
                double beta = sumDot2 == 0 ? 0 : sumDotDf / sumDot2;
                out[i] = (beta * beta * sumDot2 - 2 * beta * sumDotDf + sumDf2) / samples;
            } else {
                out[i] = sumErr / samples;
            }
        }
        return out;
    }
}
