package dev.fovea.explain;

import dev.fovea.tensor.Tensor;

/**
 * What an attribution method returns: the maps (shaped as {@link Attribution.Kind} says), the explained score of
 * each sample at its input ({@code f(x)}, the target's logit or probability), the completeness delta
 * {@code sum(attr) - (f(x) - f(baseline))} per sample for methods that have one ({@code null} otherwise), and the
 * layer a layer method read ({@code null} otherwise).
 */
public record AttributionResult(Tensor maps, double[] scores, double[] deltas, String layer) {
    public int size() {
        return maps.dim(0);
    }

    public boolean hasDeltas() {
        return deltas != null;
    }
}
