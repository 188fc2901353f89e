package dev.fovea.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of attribution methods by name: the built-in ones, in the order {@code fovea explain --list} shows
 * them, then any {@link #register}ed at run time.
 */
public final class Explainers {
    private static final Map<String, Attribution> ALL = new LinkedHashMap<>();

    static {
        register(new Saliency());
        register(new GradientTimesInput());
        register(new SmoothGrad());
        register(new VarGrad());
        register(new IntegratedGradients());
        register(new GradCam());
        register(new GradCamPlusPlus());
        register(new Occlusion());
        register(new DeepLift());
        register(new DeepLiftShap());
        register(new GradientShap());
        register(new GuidedBackprop());
        register(new GuidedGradCam());
        register(new Lrp());
        register(new XGradCam());
        register(new LayerCam());
        register(new ScoreCam());
        register(new EigenCam());
        register(new AblationCam());
        register(new FeatureAblation());
        register(new Lime());
        register(new KernelShap());
    }

    private Explainers() {
    }

    /** Adds {@code method} under its {@link Attribution#name()}, which must be lower case and not taken. */
    public static synchronized void register(Attribution method) {
        String name = method.name();
        if (name == null || name.isBlank() || !name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("explainers: expected a non-blank lower-case name, got '" + name + "'");
        }
        if (ALL.containsKey(name)) {
            throw new IllegalArgumentException("explainers: the name '" + name + "' is taken (by " + ALL.get(name).getClass().getName() + ")");
        }
        ALL.put(name, method);
    }

    /** Removes the method registered as {@code name}; whether there was one. */
    public static synchronized boolean unregister(String name) {
        return ALL.remove(name) != null;
    }

    public static synchronized List<Attribution> all() {
        return List.copyOf(ALL.values());
    }

    public static synchronized List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static synchronized Attribution named(String name) {
        Attribution a = ALL.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return a;
    }
}
