package dev.fovea.explain.trust;

import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Explanation robustness after Ghorbani, Abid and Zou, "Interpretation of Neural Networks is Fragile" (AAAI 2019):
 * how far each method's map moves between an image and a perturbed copy that the model still classifies alike.
 * Per method and sample, on the maps reduced to {@code |map|} summed over channels ({@link Similarity#absPlane}):
 * Spearman's rank correlation, and the top-k intersection, the fraction of the {@code k} most important pixels of
 * the original map that are also among the {@code k} most important of the perturbed one (ties by pixel index),
 * {@code k = max(1, round(topFraction * H * W))} (the paper takes the top 1000 of 224x224, about 2%; a fraction
 * carries to any image size). A sample whose predicted class changes under the perturbation is left out, as the
 * paper requires; the means are over the samples kept. The perturbation is the caller's (the paper's targeted
 * attacks on the map itself need second derivatives; an attack on the label within a small budget, random sign
 * noise or a corruption stand in for them).
 *
 * <p>Inputs {@code [N,C,H,W]}, the perturbed images of the same shape; the maps are explained for {@code targets}
 * (fixed before the perturbation) with each method's configuration.
 */
public final class Fragility {
    /** Ghorbani et al.'s share of the pixels in the top-k intersection, as a fraction: 1000 of 224x224 is 2%; 10% here suits small images. */
    public static final double DEFAULT_TOP_FRACTION = 0.1;

    /**
     * Per method (in order) and sample, {@code spearman[m][i]} and {@code topK[m][i]} ({@code NaN} where the
     * sample was not kept), whether each sample kept its prediction, {@code k}, and the maps before and after.
     */
    public record Result(List<String> methods, boolean[] kept, int k, double[][] spearman, double[][] topK, Tensor[] original, Tensor[] perturbed) {
        public int keptCount() {
            int c = 0;
            for (boolean b : kept) {
                c += b ? 1 : 0;
            }
            return c;
        }

        /** The mean over kept samples of {@code values[method]}. */
        public static double mean(double[][] values, int method) {
            return Arrays.stream(values[method]).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        }
    }

    private Fragility() {
    }

    public static Result run(Classifier model, List<Attribution> methods, Function<Attribution, ExplainConfig> config, Tensor x, Tensor perturbed,
                             int[] targets, double topFraction) {
        if (!x.shape().equals(perturbed.shape())) {
            throw new IllegalArgumentException("fragility: expected perturbed images " + x.shape() + ", got " + perturbed.shape());
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new InvalidOptionException("topFraction", "topFraction must be in (0,1], got " + topFraction);
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("fragility: expected at least one method, got none");
        }
        int n = x.dim(0);
        int hw = x.dim(2) * x.dim(3);
        int k = Math.max(1, (int) Math.round(topFraction * hw));
        int[] before = model.predict(x);
        int[] after = model.predict(perturbed);
        boolean[] kept = new boolean[n];
        for (int i = 0; i < n; i++) {
            kept[i] = before[i] == after[i];
        }
        int m = methods.size();
        double[][] rho = new double[m][n];
        double[][] top = new double[m][n];
        Tensor[] a = new Tensor[m];
        Tensor[] b = new Tensor[m];
        for (int j = 0; j < m; j++) {
            ExplainConfig cfg = config.apply(methods.get(j));
            a[j] = methods.get(j).attribute(model, x, targets, cfg).maps();
            b[j] = methods.get(j).attribute(model, perturbed, targets, cfg).maps();
            int c = a[j].dim(1);
            for (int i = 0; i < n; i++) {
                if (!kept[i]) {
                    rho[j][i] = Double.NaN;
                    top[j][i] = Double.NaN;
                    continue;
                }
                float[] pa = Similarity.absPlane(a[j].data(), i * c * hw, c, hw);
                float[] pb = Similarity.absPlane(b[j].data(), i * c * hw, c, hw);
                rho[j][i] = Similarity.spearman(pa, pb);
                top[j][i] = topKIntersection(pa, pb, k);
            }
        }
        return new Result(methods.stream().map(Attribution::name).toList(), kept, k, rho, top, a, b);
    }

    /** The share of the {@code k} largest values of {@code a} whose positions are among the {@code k} largest of {@code b}. */
    public static double topKIntersection(float[] a, float[] b, int k) {
        if (a.length != b.length || k < 1 || k > a.length) {
            throw new IllegalArgumentException("top-k intersection: expected two maps of one length and k in [1," + a.length + "], got lengths "
                    + a.length + ", " + b.length + " and k " + k);
        }
        boolean[] inB = new boolean[b.length];
        for (int p : top(b, k)) {
            inB[p] = true;
        }
        int both = 0;
        for (int p : top(a, k)) {
            both += inB[p] ? 1 : 0;
        }
        return (double) both / k;
    }

    private static int[] top(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> v[p] != v[q] ? Float.compare(v[q], v[p]) : Integer.compare(p, q));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
