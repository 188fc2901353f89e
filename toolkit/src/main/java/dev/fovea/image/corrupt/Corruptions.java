package dev.fovea.image.corrupt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of corruptions by name: the 15 of the benchmark in ImageNet-C's order, the 4 extras, the
 * augmentations, then any {@link #register}ed at run time.
 */
public final class Corruptions {
    private static final Map<String, Corruption<?>> ALL = new LinkedHashMap<>();

    static {
        // benchmark: noise
        register(new GaussianNoise());
        register(new ShotNoise());
        register(new ImpulseNoise());
        // benchmark: blur
        register(new DefocusBlur());
        register(new GlassBlur());
        register(new MotionBlur());
        register(new ZoomBlur());
        // benchmark: weather
        register(new Snow());
        register(new Frost());
        register(new Fog());
        // benchmark: digital
        register(new Brightness());
        register(new Contrast());
        register(new ElasticTransform());
        register(new Pixelate());
        register(new JpegCompression());
        // extras, in the papers' order
        register(new SpeckleNoise());
        register(new GaussianBlur());
        register(new Spatter());
        register(new Saturate());
        // augmentations
        register(new Translate());
        register(new HorizontalFlip());
        register(new VerticalFlip());
        register(new Rotate());
        register(new Rescale());
        register(new Shear());
        register(new Gamma());
        register(new HueShift());
        register(new ChannelShift());
        register(new Cutout());
        register(new Stripes());
    }

    private Corruptions() {
    }

    /** Adds {@code c} under its {@link Corruption#name()}, which must be lower case and not taken. */
    public static synchronized void register(Corruption<?> c) {
        String name = c.name();
        if (name == null || name.isBlank() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("corruptions: expected a non-blank lower-case name, got '" + name + "'");
        }
        if (ALL.containsKey(name)) {
            throw new IllegalArgumentException("corruptions: the name '" + name + "' is taken (by " + ALL.get(name).getClass().getName() + ")");
        }
        ALL.put(name, c);
    }

    /** Removes the corruption registered as {@code name}; whether there was one. */
    public static synchronized boolean unregister(String name) {
        return ALL.remove(name) != null;
    }

    public static synchronized List<Corruption<?>> all() {
        return List.copyOf(ALL.values());
    }

    public static synchronized List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** Those of {@code suite}, in registry order. */
    public static synchronized List<Corruption<?>> of(Suite suite) {
        return ALL.values().stream().filter(c -> c.suite() == suite).toList();
    }

    /** The corruption registered as {@code name} (case ignored); an unknown name lists the known ones. */
    public static synchronized Corruption<?> named(String name) {
        Corruption<?> c = ALL.get(name.trim().toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new IllegalArgumentException("unknown corruption '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return c;
    }

    /** {@code table[severity - 1]}: the published value at a severity. */
    static double at(double[] table, int severity) {
        return table[severity - 1];
    }
}
