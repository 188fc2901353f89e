package dev.fovea.image.corrupt;

/** The groups of ImageNet-C's tables, and the augmentations' own. */
public enum Family {
    NOISE, BLUR, WEATHER, DIGITAL, GEOMETRIC, COLOUR, OCCLUSION;

    /** How reports write the family: {@code noise}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
