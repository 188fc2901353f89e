/**
 * Attributions and visualisations on the model interface: what a network looks at.
 *
 * <p>An {@link dev.fovea.explain.Attribution} maps a batch {@code [N,C,H,W]} and one target class per sample
 * ({@link dev.fovea.explain.Targets}: label, prediction or a given class) to an
 * {@link dev.fovea.explain.AttributionResult}: maps shaped as its {@link dev.fovea.explain.Attribution.Kind} says,
 * the explained score per sample ({@link dev.fovea.explain.Scores}: logit or probability) and, for Integrated
 * Gradients, the completeness deltas. Each method owns its options, a record validated in its constructor
 * ({@link dev.fovea.explain.AttributionOptions}; {@link dev.fovea.explain.Attribution#optionInfo()} describes them and
 * {@link dev.fovea.explain.Attribution#options(java.util.Map)} builds them from named values);
 * {@link dev.fovea.explain.ExplainConfig} adds what every method shares (score, batch size, seed). Methods are found
 * by name in {@link dev.fovea.explain.Explainers}, where more can be registered. Errors in options are
 * {@link dev.fovea.method.InvalidOptionException}s naming the option by its library name ({@code noise},
 * {@code batchSize}), never a command-line flag. Heat-map colours and overlays are in
 * {@code dev.fovea.image.Heatmaps} and {@code dev.fovea.image.ColorMap}.
 */
package dev.fovea.explain;
