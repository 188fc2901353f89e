package dev.fovea.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The registry of attribution methods by name. */
public final class Explainers {
    private static final Map<String, Attribution> ALL = new LinkedHashMap<>();

    static {
        add(new Saliency());
        add(new GradientTimesInput());
        add(new SmoothGrad());
        add(new VarGrad());
        add(new IntegratedGradients());
        add(new GradCam());
        add(new GradCamPlusPlus());
        add(new Occlusion());
    }

    private Explainers() {
    }

    private static void add(Attribution a) {
        ALL.put(a.name(), a);
    }

    public static List<Attribution> all() {
        return List.copyOf(ALL.values());
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Attribution named(String name) {
        Attribution a = ALL.get(name.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown method '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return a;
    }
}
