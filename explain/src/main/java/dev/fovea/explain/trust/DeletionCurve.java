package dev.fovea.explain.trust;

import dev.fovea.explain.Baselines;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;

/**
 * Deletion and insertion curves of Petsiuk et al., "RISE: Randomized Input Sampling for Explanation of Black-box
 * Models" (BMVC 2018). Pixels are ranked by the attribution (summed over channels, highest first; ties by index).
 * Deletion starts from the image and replaces the top-ranked pixels, all channels, by a canvas (black by default),
 * {@code ceil(HW/points)} more at each of {@code points} steps; insertion starts from the canvas (the image blurred, by default) and
 * puts the image's pixels back in the same order. After each step the target's softmax probability is read; the
 * area under the curve over the fraction of pixels changed (trapezoid rule, {@code [0,1]}) summarises it. A good
 * ranking gives a low deletion AUC (the probability collapses early) and a high insertion AUC.
 *
 * <p>Inputs {@code [N,C,H,W]}, maps {@code [N,C,H,W]} or {@code [N,1,H,W]}; per sample the {@code points+1}
 * modified images go to the model in one call, which the classifier chunks by its batch size, so memory stays
 * bounded by one sample's curve. The input is never changed.
 */
public final class DeletionCurve {
    /** What the pixels are replaced by (deletion) or start as (insertion). */
    public enum Canvas {
        /** The lower pixel bound. */
        BLACK,
        /** The image blurred by a Gaussian of {@link Baselines#BLUR_SIGMA} pixels. */
        BLUR
    }

    /** Deleting ranked pixels, or inserting them. */
    public enum Mode {
        DELETION, INSERTION;

        public Canvas defaultCanvas() {
            return this == DELETION ? Canvas.BLACK : Canvas.BLUR;
        }
    }

    /** Probabilities {@code [sample][step]} at fractions {@code fractions[step]}, and each sample's AUC. */
    public record Result(double[] fractions, double[][] probabilities, double[] auc) {
        public double meanAuc() {
            return java.util.Arrays.stream(auc).average().orElse(Double.NaN);
        }

        /** The mean curve over samples. */
        public double[] meanCurve() {
            double[] m = new double[fractions.length];
            for (double[] p : probabilities) {
                for (int s = 0; s < m.length; s++) {
                    m[s] += p[s] / probabilities.length;
                }
            }
            return m;
        }
    }

    private DeletionCurve() {
    }

    public static Result run(Classifier model, Tensor x, Tensor maps, int[] targets, Mode mode, Canvas canvas, int points) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int hw = h * w;
        if (maps.shape().rank() != 4 || maps.dim(0) != n || maps.dim(2) != h || maps.dim(3) != w || (maps.dim(1) != 1 && maps.dim(1) != c)) {
            throw new IllegalArgumentException(mode.name().toLowerCase(java.util.Locale.ROOT) + ": expected maps [" + n + ",1 or " + c + ","
                    + h + "," + w + "] for images " + x.shape() + ", got " + maps.shape());
        }
        if (targets.length != n) {
            throw new IllegalArgumentException("deletion: expected " + n + " targets, got " + targets.length);
        }
        if (points < 1 || points > hw) {
            throw new InvalidOptionException("points", "points must be in [1," + hw + "], got " + points);
        }
        int k = model.classes();
        int per = c * hw;
        int chunk = (hw + points - 1) / points;
        int images = (hw + chunk - 1) / chunk + 1;
        double[] fr = new double[images];
        for (int s = 0; s < images; s++) {
            fr[s] = Math.min(1.0, (double) s * chunk / hw);
        }
        Tensor canvasImages = canvas == Canvas.BLUR ? Baselines.blur(x, Baselines.BLUR_SIGMA) : Tensor.full(x.shape(), model.bounds()[0]);
        double[][] prob = new double[n][images];
        double[] auc = new double[n];
        int mc = maps.dim(1);
        for (int i = 0; i < n; i++) {
            float[] score = new float[hw];
            for (int ch = 0; ch < mc; ch++) {
                for (int p = 0; p < hw; p++) {
                    score[p] += maps.data()[(i * mc + ch) * hw + p];
                }
            }
            Integer[] order = new Integer[hw];
            for (int p = 0; p < hw; p++) {
                order[p] = p;
            }
            java.util.Arrays.sort(order, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(a, b));
            float[] from = java.util.Arrays.copyOfRange((mode == Mode.DELETION ? x : canvasImages).data(), i * per, (i + 1) * per);
            float[] to = java.util.Arrays.copyOfRange((mode == Mode.DELETION ? canvasImages : x).data(), i * per, (i + 1) * per);
            float[] batch = new float[images * per];
            float[] cur = from.clone();
            for (int s = 0; s < images; s++) {
                if (s > 0) {
                    for (int r = (s - 1) * chunk; r < Math.min(hw, s * chunk); r++) {
                        int p = order[r];
                        for (int ch = 0; ch < c; ch++) {
                            cur[ch * hw + p] = to[ch * hw + p];
                        }
                    }
                }
                System.arraycopy(cur, 0, batch, s * per, per);
            }
            float[] z = model.logits(Tensor.of(batch, images, c, h, w)).data();
            float[] pr = Softmax.apply(z, images, k);
            double area = 0;
            for (int s = 0; s < images; s++) {
                prob[i][s] = pr[s * k + targets[i]];
                if (s > 0) {
                    area += (fr[s] - fr[s - 1]) * (prob[i][s] + prob[i][s - 1]) / 2;
                }
            }
            auc[i] = area;
        }
        return new Result(fr, prob, auc);
    }

    /** A map of seeded uniform noise shaped like {@code x} with one channel: the ranking of no method, for contrast. */
    public static Tensor randomMaps(Tensor x, long seed) {
        return Tensor.uniform(dev.fovea.tensor.Shape.of(x.dim(0), 1, x.dim(2), x.dim(3)), 0f, 1f, seed);
    }
}
