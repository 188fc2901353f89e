package dev.fovea.audit.batch;

import dev.fovea.audit.Budgets;
import dev.fovea.io.Digests;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A batch spec expanded into its cells. The spec (YAML or JSON, read by {@link SpecNode}):
 *
 * <pre>{@code
 * name: fixture-grid
 * models: [../models/convnet.fovea, {path: ../models/lenet5.fovea, name: lenet5}]
 * data: [{source: ../data/fashion-mnist-1k, limit: 64}]
 * seeds: [0]
 * runs:
 *   - {type: attack, method: [fgsm, pgd], eps: [0, 0.02, 0.05], steps: 5}
 *   - {type: augment, corruptions: [gaussian-noise, contrast], severities: [1, 3]}
 * exclude:
 *   - {model: lenet5, method: pgd}
 * }</pre>
 *
 * <p>The grid is the product models x data x seeds x runs, where each run entry is itself the product of its axes:
 * a list given for a one-value field ({@code method: [fgsm, pgd]}), a list of lists for a list field
 * ({@code eps: [[0.01], [0.03]]}), a list of maps for a map field ({@code options: [{kappa: 0}, {kappa: 2}]}).
 * Cells are ordered model first, so that consecutive cells share a model. {@code exclude} rules remove the cells
 * whose coordinates match all of a rule's keys (a value, or a list of any of them; models and data match by name
 * or as written). Paths are relative to the spec's folder.
 *
 * <p>Everything is checked here, before any work: every field against its type's {@link CellType#fields}, every
 * value by the run it becomes (each distinct model is opened once to resolve the plans against it), every model
 * and data path for existence. A mistake is a {@link SpecException} naming the file, line, column and field; a
 * missing file is a {@link NoSuchFileException} naming the spec's line too.
 *
 * @param name the spec's {@code name} (default: the spec file's name without extension)
 * @param spec the spec file as given
 * @param cells the cells in grid order
 * @param notes what the grid does otherwise than the spec says, one line each, naming where (a budget given twice
 *              in one {@code eps} list is run once), for the caller to show
 */
public record Grid(String name, String spec, List<Cell> cells, List<String> notes) {
    /** The axes every cell has. */
    public static final List<String> FIXED_AXES = List.of("model", "data", "seed", "type");
    static final Set<String> TOP = new LinkedHashSet<>(List.of("name", "models", "data", "seeds", "limit", "runs", "exclude"));
    /** The fields every run entry takes besides its type's own. */
    static final List<CellType.Field> COMMON = List.of(CellType.Field.scalar("type", "the run type: " + String.join(", ", CellTypes.names())),
            CellType.Field.scalar("limit", "the first N images of the data"));

    public Grid {
        cells = List.copyOf(cells);
        notes = List.copyOf(notes);
    }

    /** A grid without notes. */
    public Grid(String name, String spec, List<Cell> cells) {
        this(name, spec, cells, List.of());
    }

    /** The grid's id: a hash of its cells' ids in order, the same for every shard of one grid. */
    public String id() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Cell c : cells) {
                md.update((c.id() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Shard {@code i} of {@code n} (from 1): cell {@code k} of the grid belongs to shard {@code k mod n + 1}. */
    public List<Cell> shard(int i, int n) {
        if (n < 1 || i < 1 || i > n) {
            throw new InvalidOptionException("shard", "shard: expected I/N with 1 <= I <= N, got " + i + "/" + n);
        }
        return cells.stream().filter(c -> c.index() % n == i - 1).toList();
    }

    /** Reads and expands the spec {@code file}. */
    public static Grid read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.isDirectory(file) ? "a folder, not a spec file" : "no such spec file");
        }
        Path dir = file.toAbsolutePath().getParent();
        return expand(SpecNode.read(file), dir, file.toString());
    }

    /** Expands a parsed spec, its paths relative to {@code dir}. */
    public static Grid expand(SpecNode root, Path dir, String specName) throws IOException {
        Map<String, SpecNode> top = root.map();
        for (Map.Entry<String, SpecNode> e : top.entrySet()) {
            if (!TOP.contains(e.getKey())) {
                throw SpecException.at(e.getValue(), "unknown field (fields: " + String.join(", ", TOP) + ")");
            }
        }
        String stem = Path.of(specName).getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = top.containsKey("name") ? top.get("name").text() : stem;
        List<SpecNode> modelNodes = required(root, top, "models").items();
        List<SpecNode> dataNodes = required(root, top, "data").items();
        List<SpecNode> seedNodes = top.containsKey("seeds") ? top.get("seeds").items() : List.of();
        List<SpecNode> runNodes = required(root, top, "runs").items();
        for (String k : List.of("models", "data", "seeds", "runs")) {
            if (top.containsKey(k) && top.get(k).isList() && top.get(k).list().isEmpty()) {
                throw SpecException.at(top.get(k), "an empty list: the grid would have no cells");
            }
        }
        Integer topLimit = top.containsKey("limit") ? positive(top.get("limit")) : null;
        List<ModelEntry> models = new ArrayList<>();
        for (SpecNode n : modelNodes) {
            models.add(model(n, dir));
        }
        unique(modelNodes, models.stream().map(ModelEntry::name).toList(), "model");
        List<DataEntry> data = new ArrayList<>();
        for (SpecNode n : dataNodes) {
            data.add(data(n, dir));
        }
        unique(dataNodes, data.stream().map(DataEntry::name).toList(), "data set");
        List<Long> seeds = new ArrayList<>();
        for (SpecNode n : seedNodes) {
            seeds.add(n.integer());
        }
        if (seeds.isEmpty()) {
            seeds.add(0L);
        }
        List<Variant> variants = new ArrayList<>();
        for (SpecNode r : runNodes) {
            variants.addAll(variants(r));
        }
        List<Rule> rules = rules(top.get("exclude"), variants);

        // the product, minus the excluded cells, in grid order
        record Planned(ModelEntry model, DataEntry data, long seed, Variant variant, Map<String, Object> axes) {
        }
        List<Planned> planned = new ArrayList<>();
        int total = 0;
        for (ModelEntry m : models) {
            for (DataEntry d : data) {
                for (long s : seeds) {
                    for (Variant v : variants) {
                        total++;
                        Map<String, Object> axes = new LinkedHashMap<>();
                        axes.put("model", m.name());
                        axes.put("data", d.name());
                        axes.put("seed", s);
                        axes.put("type", v.type().name());
                        axes.putAll(v.axes());
                        Planned p = new Planned(m, d, s, v, axes);
                        if (rules.stream().noneMatch(rule -> rule.matches(m, d, s, v))) {
                            planned.add(p);
                        }
                    }
                }
            }
        }
        if (planned.isEmpty()) {
            throw SpecException.at(top.get("exclude"), "removes every one of the grid's " + total + " cells");
        }

        // resolve each plan against its model, each model opened once
        Set<String> notes = new LinkedHashSet<>();
        List<Cell> cells = new ArrayList<>();
        Map<String, Cell> byId = new LinkedHashMap<>();
        for (ModelEntry m : models) {
            List<Planned> mine = planned.stream().filter(p -> p.model() == m).toList();
            if (mine.isEmpty()) {
                continue;
            }
            try (Classifier c = m.open(64)) {
                for (Planned p : mine) {
                    Map<String, Object> given = new LinkedHashMap<>(p.variant().values());
                    given.put("seed", p.seed());
                    String repeat = repeatedBudgets(p.variant());
                    if (repeat != null) {
                        notes.add(repeat);
                    }
                    Map<String, Object> plan;
                    try {
                        plan = p.variant().type().resolve(given, c);
                    } catch (IllegalArgumentException e) {
                        SpecNode at = p.variant().nodeFor(e);
                        throw SpecException.at(at, unprefixed(e, at) + (models.size() > 1 ? " (model " + m.name() + ")" : ""));
                    }
                    Integer limit = p.variant().limit() != null ? p.variant().limit() : topLimit;
                    Cell cell = Cell.of(cells.size(), p.variant().type().name(), p.axes(), m, p.data(), limit, plan);
                    Cell same = byId.putIfAbsent(cell.id(), cell);
                    if (same != null) {
                        throw SpecException.at(p.variant().node(), "gives the same cell twice (" + cell.describe() + ")");
                    }
                    cells.add(cell);
                }
            }
        }
        // renumber in grid order (models were resolved in grid order, so this keeps it)
        return new Grid(name, specName, cells, List.copyOf(notes));
    }

    /**
     * The note for a run entry whose {@code eps} list gives a budget more than once (its cells run it once), or
     * {@code null}; a list that does not read as budgets is left to the run's own message.
     */
    private static String repeatedBudgets(Variant v) {
        if (!(v.values().get("eps") instanceof List<?> given)) {
            return null;
        }
        Budgets.Once once;
        try {
            once = Budgets.once(given.stream().map(x -> Values.real("eps", x)).toList());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return once.note() == null ? null : v.nodes().getOrDefault("eps", v.node()).where() + ": " + once.note();
    }

    /** The run's message without the field name it starts with, which the node's path already says. */
    private static String unprefixed(IllegalArgumentException e, SpecNode at) {
        String m = String.valueOf(e.getMessage());
        String last = at.path().replaceAll("\\[\\d+\\]$", "");
        last = last.substring(last.lastIndexOf('.') + 1);
        for (String k : List.of(last, Values.camel(last))) {
            if (!k.isEmpty() && m.startsWith(k + ": ")) {
                return m.substring(k.length() + 2);
            }
        }
        return m;
    }

    private static SpecNode required(SpecNode root, Map<String, SpecNode> top, String key) {
        SpecNode n = top.get(key);
        if (n == null || n.value() == null) {
            throw SpecException.at(n == null ? root : n, key + ": required");
        }
        return n;
    }

    private static Integer positive(SpecNode n) {
        long v = n.integer();
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw SpecException.at(n, "expected a positive number of images, got " + v);
        }
        return (int) v;
    }

    private static void unique(List<SpecNode> nodes, List<String> names, String what) {
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (!seen.add(names.get(i))) {
                throw SpecException.at(nodes.get(i), "a second " + what + " named '" + names.get(i) + "'; give it a name of its own");
            }
        }
    }

    private static ModelEntry model(SpecNode n, Path dir) throws IOException {
        Map<String, SpecNode> f = n.isMap() ? n.map() : Map.of("path", n);
        Set<String> known = Set.of("path", "name", "backend", "input_shape", "mean", "std", "classes");
        for (Map.Entry<String, SpecNode> e : f.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw SpecException.at(e.getValue(), "unknown field of a model (fields: path, name, backend, input_shape, mean, std, classes)");
            }
        }
        if (!f.containsKey("path")) {
            throw SpecException.at(n, "a model needs a path");
        }
        String path = f.get("path").text();
        Path file = dir.resolve(path).normalize();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, (Files.isDirectory(file) ? "a folder, not a model file" : "no such model file")
                    + " (" + f.get("path").where() + ")");
        }
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String name = f.containsKey("name") ? f.get("name").text() : stem;
        List<Integer> shape = f.containsKey("input_shape") ? f.get("input_shape").items().stream().map(x -> (int) x.integer()).toList() : null;
        List<Double> mean = f.containsKey("mean") ? f.get("mean").items().stream().map(SpecNode::number).toList() : null;
        List<Double> std = f.containsKey("std") ? f.get("std").items().stream().map(SpecNode::number).toList() : null;
        String classes = f.containsKey("classes") ? file.resolveSibling(dir.resolve(f.get("classes").text())).toString() : null;
        if (classes != null && !Files.isRegularFile(Path.of(classes))) {
            throw new NoSuchFileException(classes, null, "no such class-names file (" + f.get("classes").where() + ")");
        }
        String backend = f.containsKey("backend") ? f.get("backend").text() : null;
        return new ModelEntry(name, path, file.toString(), Digests.sha256(file), backend, shape, mean, std, classes);
    }

    private static DataEntry data(SpecNode n, Path dir) throws IOException {
        Map<String, SpecNode> f = n.isMap() ? n.map() : Map.of("source", n);
        Set<String> known = Set.of("source", "name", "limit", "per_class");
        for (Map.Entry<String, SpecNode> e : f.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw SpecException.at(e.getValue(), "unknown field of a data set (fields: source, name, limit, per_class)");
            }
        }
        if (!f.containsKey("source")) {
            throw SpecException.at(n, "a data set needs a source");
        }
        String source = f.get("source").text();
        String resolved;
        if (source.equals("fashion-mnist") || source.startsWith("fashion-mnist:")) {
            resolved = source;
        } else {
            Path p = dir.resolve(source).normalize();
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p.toString(), null, "no such data (" + f.get("source").where() + ")");
            }
            resolved = p.toString();
        }
        String last = Path.of(source.replace(':', '-')).getFileName().toString();
        String name = f.containsKey("name") ? f.get("name").text() : last.replaceFirst("\\.(npy|gz)$", "");
        Integer limit = f.containsKey("limit") ? positive(f.get("limit")) : null;
        Integer perClass = f.containsKey("per_class") ? positive(f.get("per_class")) : null;
        return new DataEntry(name, source, resolved, limit, perClass);
    }

    /**
     * One run entry with one value per axis: its type, its field values (plain), its coordinates on its axes, its
     * limit, the entry's node and the nodes of its values (for messages).
     */
    record Variant(CellType type, Map<String, Object> values, Map<String, Object> axes, Integer limit, SpecNode node, Map<String, SpecNode> nodes) {
        /** The node a run's failure is about: the field (or method option) it names, else the run entry. */
        SpecNode nodeFor(IllegalArgumentException e) {
            if (e instanceof InvalidOptionException io) {
                String o = io.option();
                for (String k : List.of(o, Values.snake(o))) {
                    if (nodes.containsKey(k)) {
                        return nodes.get(k);
                    }
                }
                SpecNode opts = nodes.get("options");
                if (opts != null && opts.isMap()) {
                    for (Map.Entry<String, SpecNode> x : opts.map().entrySet()) {
                        if (Values.camel(x.getKey()).equals(o)) {
                            return x.getValue();
                        }
                    }
                    return opts;
                }
            }
            return node;
        }
    }

    private static List<Variant> variants(SpecNode run) {
        Map<String, SpecNode> f = run.map();
        SpecNode typeNode = f.get("type");
        if (typeNode == null) {
            throw SpecException.at(run, "a run needs a type (types: " + String.join(", ", CellTypes.names()) + ")");
        }
        CellType type;
        try {
            type = CellTypes.named(typeNode.text());
        } catch (IllegalArgumentException e) {
            throw SpecException.at(typeNode, e.getMessage());
        }
        Map<String, CellType.Field> fields = new LinkedHashMap<>();
        type.fields().forEach(x -> fields.put(x.name(), x));
        COMMON.forEach(x -> fields.put(x.name(), x));
        // each field's values: one, or several for an axis
        List<String> names = new ArrayList<>();
        List<List<SpecNode>> choices = new ArrayList<>();
        List<Boolean> axis = new ArrayList<>();
        for (Map.Entry<String, SpecNode> e : f.entrySet()) {
            if (e.getKey().equals("type")) {
                continue;
            }
            String key = Values.snake(e.getKey());
            CellType.Field field = fields.get(key);
            if (field == null) {
                throw SpecException.at(e.getValue(), "unknown field of " + type.name() + " runs (fields: "
                        + String.join(", ", fields.keySet().stream().filter(k -> !k.equals("type")).toList()) + ")");
            }
            SpecNode v = e.getValue();
            boolean isAxis = switch (field.kind()) {
                case SCALAR -> v.isList();
                case LIST -> v.isList() && !v.list().isEmpty() && v.list().stream().allMatch(SpecNode::isList);
                case MAP -> v.isList();
            };
            if (isAxis && v.list().isEmpty()) {
                throw SpecException.at(v, "an empty list: this axis expands to zero cells");
            }
            List<SpecNode> values = isAxis ? v.list() : List.of(v);
            for (SpecNode x : values) {
                if (field.kind() == CellType.Kind.SCALAR && !x.isScalar()) {
                    throw SpecException.at(x, "expected one value, got " + x.kind());
                }
                if (field.kind() == CellType.Kind.MAP && !x.isMap()) {
                    throw SpecException.at(x, "expected a map of option names to values, got " + x.kind());
                }
                if (field.kind() == CellType.Kind.LIST && x.isList() && x.list().isEmpty()) {
                    throw SpecException.at(x, "an empty list");
                }
            }
            names.add(key);
            choices.add(values);
            axis.add(isAxis);
        }
        List<Variant> out = new ArrayList<>();
        int[] at = new int[names.size()];
        while (true) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> axes = new LinkedHashMap<>();
            Map<String, SpecNode> nodes = new LinkedHashMap<>();
            Integer limit = null;
            for (int i = 0; i < names.size(); i++) {
                SpecNode x = choices.get(i).get(at[i]);
                nodes.put(names.get(i), x);
                if (names.get(i).equals("limit")) {
                    limit = positive(x);
                } else {
                    values.put(names.get(i), x.plain());
                }
                if (axis.get(i)) {
                    axes.put(column(names.get(i)), label(x.plain()));
                }
            }
            out.add(new Variant(type, values, axes, limit, run, nodes));
            int k = names.size() - 1;
            while (k >= 0 && ++at[k] == choices.get(k).size()) {
                at[k] = 0;
                k--;
            }
            if (k < 0) {
                return out;
            }
        }
    }

    /** An axis's column: its field name, unless a metric's key column has that name ({@code eps} as {@code eps_axis}). */
    static String column(String field) {
        return Metric.KEYS.contains(field) || FIXED_AXES.contains(field) ? field + "_axis" : field;
    }

    /** An axis value in a table: scalars as they are, lists and maps as compact text. */
    static Object label(Object plain) {
        if (plain instanceof List<?> l) {
            return String.join(" ", l.stream().map(String::valueOf).toList());
        }
        if (plain instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(" ", parts);
        }
        return plain;
    }

    /** One exclude rule: keys to the values any of which matches. */
    private record Rule(Map<String, List<Object>> match) {
        boolean matches(ModelEntry m, DataEntry d, long seed, Variant v) {
            for (Map.Entry<String, List<Object>> e : match.entrySet()) {
                List<Object> have = switch (e.getKey()) {
                    case "model" -> List.of(m.name(), m.path());
                    case "data" -> List.of(d.name(), d.source());
                    case "seed" -> List.of(seed);
                    case "type" -> List.of(v.type().name());
                    default -> {
                        Object x = v.values().get(e.getKey());
                        yield x == null ? List.of() : List.of(x);
                    }
                };
                if (e.getValue().stream().noneMatch(want -> have.stream().anyMatch(h -> same(want, h)))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean same(Object want, Object have) {
            if (want instanceof Number a && have instanceof Number b) {
                return a.doubleValue() == b.doubleValue();
            }
            if (want instanceof List || have instanceof List || want instanceof Map || have instanceof Map) {
                return want.equals(have);
            }
            return String.valueOf(want).equalsIgnoreCase(String.valueOf(have));
        }
    }

    private static List<Rule> rules(SpecNode exclude, List<Variant> variants) {
        if (exclude == null) {
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>(FIXED_AXES);
        for (Variant v : variants) {
            keys.addAll(v.values().keySet());
        }
        List<Rule> out = new ArrayList<>();
        for (SpecNode r : exclude.items()) {
            Map<String, List<Object>> match = new LinkedHashMap<>();
            for (Map.Entry<String, SpecNode> e : r.map().entrySet()) {
                String key = Values.snake(e.getKey());
                if (!keys.contains(key)) {
                    throw SpecException.at(e.getValue(), "exclude: unknown axis (axes: " + String.join(", ", keys) + ")");
                }
                SpecNode val = e.getValue();
                match.put(key, val.isList() ? val.list().stream().map(SpecNode::plain).toList() : List.of(val.plain()));
            }
            if (match.isEmpty()) {
                throw SpecException.at(r, "exclude: an empty rule would remove every cell");
            }
            out.add(new Rule(match));
        }
        return out;
    }

    /** {@code text} in lower case, for messages. */
    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
