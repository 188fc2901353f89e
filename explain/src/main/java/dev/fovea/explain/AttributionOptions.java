package dev.fovea.explain;

/**
 * The options of one attribution method, an immutable record validated in its constructor with the library's
 * option names ({@link IntegratedGradients.Options}, {@link NoiseTunnel.Options}, {@link Occlusion.Options},
 * {@link CamBase.Options}, {@link #NONE}). Jackson serialises each record to the options it reports, in
 * snake case ({@code {"window":4,"stride":2,"baseline_value":0.0}}); tensors and choices made from the model (the
 * layer) are not serialised.
 */
public interface AttributionOptions {
    /** The options of a method that has none (saliency, gradient x input); serialised as {@code {}}. */
    AttributionOptions NONE = new None();

    /** The empty options value. */
    record None() implements AttributionOptions {
    }

    /**
     * The options for samples {@code [from, to)} of the batch they were made for: per-sample values (a baseline
     * image {@code [N,C,H,W]}) sliced to those samples, the rest as they are. A caller that explains a batch in
     * chunks hands each chunk its part.
     */
    default AttributionOptions forSamples(int from, int to) {
        return this;
    }
}
