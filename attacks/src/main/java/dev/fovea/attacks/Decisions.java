package dev.fovea.attacks;

import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What a decision-based attack sees of a model: for a point, whether its predicted label is adversarial under the
 * criterion, and nothing else (no logits, no gradients). Every point asked about counts one query of its sample,
 * and no sample is asked about past its budget. Also the starting point both decision-based attacks share.
 */
final class Decisions {
    /** Draws of uniform noise per sample in search of an adversarial starting point (ART's {@code init_size}). */
    static final int NOISE_TRIES = 100;
    /** Halvings of the blending search from the noise towards the clean image: a blend within 2^-10. */
    static final int BLEND_STEPS = 10;

    private final Classifier model;
    private final Criterion criterion;
    private final long[] queries;
    private final long budget;
    private final Shape sample;

    /**
     * @param criterion what counts as adversarial for sample {@code i}
     * @param queries   per sample, incremented with every point asked about
     * @param budget    the most queries any sample may have in {@code queries}
     */
    Decisions(Classifier model, Criterion criterion, long[] queries, long budget, Shape sample) {
        this.model = model;
        this.criterion = criterion;
        this.queries = queries;
        this.budget = budget;
        this.sample = sample;
    }

    /** Queries sample {@code i} has left. */
    long remaining(int i) {
        return Math.max(0, budget - queries[i]);
    }

    /**
     * Whether each point is adversarial: {@code points[r * per, (r+1) * per)} is a point of sample {@code of[r]}.
     * One batched forward pass; each row counts one query of its sample, which must have one left.
     */
    boolean[] adversarial(float[] points, int[] of) {
        int per = sample.size();
        for (int s : of) {
            if (remaining(s) <= 0) {
                throw new IllegalStateException("decisions: sample " + s + " has spent its " + budget + " queries");
            }
            queries[s]++;
        }
        int[] pred = model.predict(new Tensor(sample.withBatch(of.length), points.length == of.length * per ? points
                : Arrays.copyOf(points, of.length * per)));
        boolean[] out = new boolean[of.length];
        for (int r = 0; r < of.length; r++) {
            out[r] = criterion.isAdversarial(of[r], pred[r]);
        }
        return out;
    }

    /** The samples of {@code candidates} with a query left. */
    int[] withQueries(int[] candidates) {
        return Arrays.stream(candidates).filter(s -> remaining(s) > 0).toArray();
    }

    /**
     * Adversarial starting points near the clean images {@code x0} (row {@code i} of sample {@code i}): up to
     * {@link #NOISE_TRIES} images of uniform noise in the box per sample until one is adversarial, then
     * {@link #BLEND_STEPS} halvings of the blend {@code (1 - a) x0 + a noise} between the clean image and that noise,
     * keeping the adversarial end (as Foolbox's blended-noise and the HopSkipJump authors' initialisation, with a
     * binary instead of a linear search). {@code found[i]} says whether sample {@code i} got one; rows without one
     * stay the clean image.
     */
    float[] start(float[] x0, SplittableRandom[] rng, float[] box, boolean[] found) {
        int n = found.length;
        int per = sample.size();
        float[] noise = new float[n * per];
        for (int t = 0; t < NOISE_TRIES; t++) {
            int[] ask = withQueries(DeepFool.where(found, false));
            if (ask.length == 0) {
                break;
            }
            float[] pts = new float[ask.length * per];
            for (int r = 0; r < ask.length; r++) {
                SplittableRandom g = rng[ask[r]];
                for (int j = 0; j < per; j++) {
                    pts[r * per + j] = box[0] + (float) g.nextDouble() * (box[1] - box[0]);
                }
            }
            boolean[] adv = adversarial(pts, ask);
            for (int r = 0; r < ask.length; r++) {
                if (adv[r]) {
                    found[ask[r]] = true;
                    System.arraycopy(pts, r * per, noise, ask[r] * per, per);
                }
            }
        }
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(hi, 1);
        int[] have = DeepFool.where(found, true);
        for (int step = 0; step < BLEND_STEPS; step++) {
            int[] ask = withQueries(have);
            if (ask.length == 0) {
                break;
            }
            float[] pts = new float[ask.length * per];
            for (int r = 0; r < ask.length; r++) {
                int s = ask[r];
                blend(x0, noise, s * per, per, (lo[s] + hi[s]) / 2, pts, r * per);
            }
            boolean[] adv = adversarial(pts, ask);
            for (int r = 0; r < ask.length; r++) {
                int s = ask[r];
                double mid = (lo[s] + hi[s]) / 2;
                if (adv[r]) {
                    hi[s] = mid;
                } else {
                    lo[s] = mid;
                }
            }
        }
        float[] out = x0.clone();
        for (int s : have) {
            blend(x0, noise, s * per, per, hi[s], out, s * per);
        }
        return out;
    }

    /** {@code out[oo + j] = (1 - a) x0[o + j] + a y[o + j]}. */
    static void blend(float[] x0, float[] y, int o, int per, double a, float[] out, int oo) {
        for (int j = 0; j < per; j++) {
            out[oo + j] = (float) ((1 - a) * x0[o + j] + a * y[o + j]);
        }
    }

    /** A standard normal draw. */
    static double gaussian(SplittableRandom r) {
        return Perturbations.gaussian(r);
    }
}
