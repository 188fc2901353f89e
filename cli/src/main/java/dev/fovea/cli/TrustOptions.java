package dev.fovea.cli;

import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The methods a trust check runs and their main options; the rest keep {@link ExplainConfig#defaults()}. */
public final class TrustOptions {
    @Option(names = "--method", split = ",", required = true, paramLabel = "LIST",
            description = "Attribution methods to check (see 'fovea explain --list').")
    List<String> methods;

    @Option(names = "--target", defaultValue = "pred", paramLabel = "label|pred|CLASS",
            description = "Class explained (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--steps", defaultValue = "32", description = "Integrated Gradients: integration points (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--samples", defaultValue = "32", description = "SmoothGrad, VarGrad: noisy copies (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", defaultValue = "0.15", description = "SmoothGrad, VarGrad: noise level (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--layer", paramLabel = "NAME", description = "Grad-CAM(++): layer (default: the last convolutional one).")
    String layer;

    @Option(names = "--window", defaultValue = "4", description = "Occlusion: square size (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", defaultValue = "2", description = "Occlusion: step (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "64", description = "Model rows per call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    List<Attribution> methods() {
        List<Attribution> out = new ArrayList<>();
        try {
            for (String m : methods) {
                out.add(Explainers.named(m.trim()));
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return out;
    }

    ExplainConfig config() {
        try {
            return ExplainConfig.defaults().withSteps(steps).withSamples(samples).withNoise(noise).withLayer(layer).withWindow(window, stride)
                    .withBatch(batchSize).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
