package dev.fovea.audit.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of batch cell types, by name: {@code attack}, {@code explain}, {@code augment}, {@code eval}, {@code audit}. A spec's
 * run entry names one in {@code type}; an unknown name lists the registered ones. A new type is one
 * {@link CellType} class and one {@link #register} line here.
 */
public final class CellTypes {
    private static final Map<String, CellType> ALL = new LinkedHashMap<>();

    static {
        register(new AttackCell());
        register(new ExplainCell());
        register(new AugmentCell());
        register(new EvalCell());
        register(new AuditCell());
    }

    private CellTypes() {
    }

    public static synchronized void register(CellType t) {
        ALL.put(t.name(), t);
    }

    public static synchronized List<CellType> all() {
        return List.copyOf(ALL.values());
    }

    public static synchronized List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /** The type registered as {@code name} (case ignored); an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static synchronized CellType named(String name) {
        CellType t = ALL.get(name.strip().toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("unknown run type '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        }
        return t;
    }
}
