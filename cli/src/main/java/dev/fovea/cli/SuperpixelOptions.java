package dev.fovea.cli;

import dev.fovea.explain.Superpixels;
import picocli.CommandLine.Option;

/** The features of feature ablation, LIME and KernelSHAP: how each image is cut into superpixels. Defaults are the library's. */
public final class SuperpixelOptions {
    @Option(names = "--segmentation", defaultValue = "slic", paramLabel = "KIND", completionCandidates = Choices.Segmentations.class,
            description = "Feature ablation, LIME, KernelSHAP: features, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Superpixels.Segmentation segmentation;

    @Option(names = "--segments", paramLabel = "N", defaultValue = "100", description = "SLIC: about this many superpixels (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--compactness", paramLabel = "C", defaultValue = "10.0",
            description = "SLIC: weight of position against colour, scikit-image's scale; 0.1 suits grayscale images (default: ${DEFAULT-VALUE}).")
    double compactness;

    @Option(names = "--cell", paramLabel = "PX", defaultValue = "4", description = "Grid segmentation: side of a cell in pixels (default: ${DEFAULT-VALUE}).")
    int cell;
}
