package dev.fovea.image.corrupt;

/**
 * Which set a corruption belongs to: the 15 of the benchmark, whose mean is the mean corruption error; the 4
 * held-out extras of the same papers (speckle noise, gaussian blur, spatter, saturate), averaged separately; the
 * augmentations, reported but in neither mean.
 */
public enum Suite {
    BENCHMARK, EXTRA, AUGMENTATION;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
