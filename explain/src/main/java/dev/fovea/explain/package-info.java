/**
 * Attributions and visualisations on the model interface: what a network looks at.
 *
 * <p>An {@link dev.fovea.explain.Attribution} maps a batch {@code [N,C,H,W]} and one target class per sample
 * ({@link dev.fovea.explain.Targets}: label, prediction or a given class) to an
 * {@link dev.fovea.explain.AttributionResult}: maps shaped as its {@link dev.fovea.explain.Attribution.Kind} says,
 * the explained score per sample ({@link dev.fovea.explain.Scores}: logit or probability) and, for Integrated
 * Gradients, the completeness deltas. Options live in the validated record {@link dev.fovea.explain.ExplainConfig};
 * methods are found by name in {@link dev.fovea.explain.Explainers}. Heat-map colours and overlays are in
 * {@code dev.fovea.image.Heatmaps} and {@code dev.fovea.image.ColorMap}.
 */
package dev.fovea.explain;
