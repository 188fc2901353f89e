package dev.fovea.cli;

import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** The methods a trust check runs, their main options (the rest keep each method's defaults), the seed and the batch size. */
public final class TrustOptions {
    @Option(names = "--method", split = ",", required = true, paramLabel = "METHOD", converter = Choices.Attributions.class,
            completionCandidates = Choices.Attributions.class,
            description = "Attribution methods to check, comma-separated, of ${COMPLETION-CANDIDATES} (see 'fovea explain --list').")
    List<String> methods;

    @Option(names = "--target", defaultValue = "pred", paramLabel = "label|pred|CLASS",
            description = "Class explained (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "32", description = "Integrated Gradients: integration points, at most 10000 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--samples", paramLabel = "N",
            description = "SmoothGrad, VarGrad: noisy copies (default 32); LIME, KernelSHAP: perturbed samples (default 25); at most 10000.")
    Integer samples;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0.15", description = "SmoothGrad, VarGrad: noise level (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--layer", paramLabel = "NAME", description = "Grad-CAM(++): layer (default: the last convolutional one).")
    String layer;

    @Option(names = "--window", paramLabel = "PX", defaultValue = "4", description = "Occlusion: square size (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", paramLabel = "PX", defaultValue = "2", description = "Occlusion: step (default: ${DEFAULT-VALUE}).")
    int stride;

    @Mixin
    SuperpixelOptions superpixels;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The methods named, each checked with its options (so a bad value fails before any work). */
    List<Attribution> methods() {
        List<Attribution> out = new ArrayList<>();
        for (String m : methods) {
            Attribution a = Explainers.named(m.trim());
            config(a);
            out.add(a);
        }
        return out;
    }

    /** The configuration of {@code method}: its options from these flags (the ones it has), the rest at their defaults. */
    ExplainConfig config(Attribution method) {
        return ExplainConfig.of(method.options(Flags.values(method.optionInfo(), spec))).withBatchSize(batch.size()).withSeed(seed.seed);
    }
}
