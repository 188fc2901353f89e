package dev.fovea.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fovea.attacks.Attack;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.audit.report.Format;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.explain.Explainers;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What an audit runs, as data: the profile's choices written as the run plans of {@link AttackRun},
 * {@link DiagnosticsRun} and {@link ExplainRun} (their fields under their library names, so a plan reads as the
 * options those runs record), and the settings of the corruption suite, the attribution checks and the class
 * visualisations. A plan is made for a model's input shape ({@link #of}), may be overridden by a small JSON or
 * YAML file whose fields are the same ({@link #overriddenBy}: objects merge key by key, lists replace, an unknown
 * key is refused naming it), and is recorded whole in {@code report.json}, where it can be read back as a plan file.
 *
 * <p>The profiles (input {@code [C,H,W]}; budgets in pixel units):
 * <ul>
 *   <li>{@code quick} (the default; about a minute on two cores for the bundled convnet): 300 images; PGD-10 and
 *       FGSM in L-inf at {@link Budgets#defaults}, PGD-10 and FGM in L2 at {@link #l2Budgets}, DeepFool L2 (minimum
 *       norm) on 100; the gradient-masking diagnostics on 100; the corruption suite at severities 1-5 on 100;
 *       saliency, Integrated Gradients (16 steps) and Grad-CAM: a gallery of one image per class, deletion and
 *       insertion on 20 images (16 points), the randomisation check on 8; first-layer filters and one class
 *       visualisation per class (64 steps);</li>
 *   <li>{@code standard}: 1000 images; PGD-20, FGSM, the AutoAttack-style ensemble (APGD-CE, APGD-T, Square) in
 *       L-inf on 200, PGD-20 and FGM in L2, Carlini-Wagner L2 and DeepFool L2 on 200; diagnostics on 200;
 *       corruptions on 500; SmoothGrad and gradient x input added, two gallery images per class, deletion on 50,
 *       sanity on 16; visualisations of 128 steps, 2 starts;</li>
 *   <li>{@code thorough}: every image; PGD-50 with 2 restarts, FGSM, AutoAttack and DeepFool in L-inf and L2 on
 *       500, CW L2 on 500; diagnostics on 500; corruptions on every image; every registered attribution method,
 *       four gallery images per class, deletion on 100, sanity on 32; visualisations of 256 steps, 3 starts.</li>
 * </ul>
 *
 * @param profile the profile the plan started from
 * @param images images audited ({@code null}: all); runs with their own {@code images} take the first of these
 * @param seed seed of every random choice
 * @param verdictEps the L-inf budget the verdict speaks of (the field's threat model for the input's size)
 * @param attacks the attacks, each at its budgets
 * @param diagnostics the gradient-masking checks
 * @param corruptions the common-corruption suite
 * @param explain the attribution methods and their checks
 * @param learned the first-layer filters and class visualisations
 */
public record AuditPlan(String profile, Integer images, long seed, double verdictEps, List<AttackSpec> attacks, DiagnosticsSpec diagnostics,
                        CorruptionSpec corruptions, ExplainSpec explain, LearnedSpec learned) {
    /** The profiles. */
    public enum Profile {
        QUICK, STANDARD, THOROUGH;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One attack as its run plan: {@code method}, {@code norm}, {@code eps} ({@code null}: the audit's budgets for
     * the norm and input), the overrides of {@link AttackRun} ({@code null}: the attack's defaults), its own
     * {@code options} by library name, and {@code images}: the first N of the audit's ({@code null}: all).
     */
    public record AttackSpec(String method, String norm, List<Double> eps, Integer steps, Double stepSize, Integer restarts, Boolean randomStart,
                             Map<String, String> options, Integer images) {
        public AttackSpec {
            if (method == null) {
                throw new InvalidOptionException("method", "attacks: every attack needs a method (known: " + String.join(", ", Attacks.names()) + ")");
            }
            options = options == null ? Map.of() : Map.copyOf(options);
            eps = eps == null ? null : List.copyOf(eps);
        }

        static AttackSpec of(String method, String norm, Integer steps, Integer images) {
            return new AttackSpec(method, norm, null, steps, null, null, null, null, images);
        }

        public Norm parsedNorm() {
            Attack a = Attacks.named(method);
            return norm == null ? a.defaultNorm() : Norm.parse(norm);
        }

        /** {@code method-norm}, the name gates and tables use ({@code pgd-linf}). */
        public String key() {
            return method + "-" + parsedNorm().name().toLowerCase(Locale.ROOT);
        }

        /** The run plan on input {@code [C,H,W]}, with {@code seed}. */
        public AttackRun run(Shape input, long seed) {
            Attack a = Attacks.named(method);
            Norm n = parsedNorm();
            List<Double> e = eps != null ? eps : budgets(n, input);
            AttackRun r = new AttackRun(a, n, e, Target.UNTARGETED, seed, steps, stepSize, restarts, randomStart);
            return options.isEmpty() ? r : r.withOptions(options);
        }

        /** The same attack with its budgets written out for input {@code [C,H,W]}. */
        public AttackSpec resolved(Shape input) {
            return eps != null ? this : new AttackSpec(method, norm, budgets(parsedNorm(), input), steps, stepSize, restarts, randomStart, options, images);
        }

        /** The attack in a line: key, budgets, overrides, own options, images. */
        public String describe() {
            StringBuilder b = new StringBuilder(key()).append(": eps ").append(eps == null ? "default" : String.join(", ",
                    eps.stream().map(e -> Format.eps(e, eps)).toList()));
            if (steps != null) {
                b.append("; ").append(steps).append(" steps");
            }
            if (stepSize != null) {
                b.append("; step size ").append(stepSize);
            }
            if (restarts != null) {
                b.append("; ").append(restarts).append(" restarts");
            }
            if (randomStart != null) {
                b.append("; random start ").append(randomStart);
            }
            if (!options.isEmpty()) {
                b.append("; options ").append(new java.util.TreeMap<>(options));
            }
            return b.append("; ").append(images == null ? "every audited image" : "first " + images + " images").toString();
        }

        /** The same attack at one more budget (kept once). */
        public AttackSpec withBudget(double extra, Shape input) {
            List<Double> e = new ArrayList<>(eps != null ? eps : budgets(parsedNorm(), input));
            if (!e.contains(extra)) {
                e.add(extra);
                e.sort(Double::compare);
            }
            return new AttackSpec(method, norm, e, steps, stepSize, restarts, randomStart, options, images);
        }
    }

    /**
     * The gradient-masking checks: {@code norm}, {@code eps} ({@code null}: the audit's budgets), {@code images}, and
     * the black box's queries per sample ({@code null}: Square's default, 5000).
     */
    public record DiagnosticsSpec(String norm, List<Double> eps, Integer images, Integer blackBoxQueries) {
        public DiagnosticsSpec {
            eps = eps == null ? null : List.copyOf(eps);
        }

        /** The checks with their budgets written out for input {@code [C,H,W]}. */
        public DiagnosticsSpec resolved(Shape input) {
            return eps != null ? this : new DiagnosticsSpec(norm, budgets(norm == null ? Norm.LINF : Norm.parse(norm), input), images, blackBoxQueries);
        }

        public DiagnosticsRun run(Shape input, long seed) {
            Norm n = norm == null ? Norm.LINF : Norm.parse(norm);
            return new DiagnosticsRun(n, eps != null ? eps : budgets(n, input), seed, blackBoxQueries);
        }
    }

    /**
     * The common-corruption suite: the corruptions ({@code null}: the 15 of the benchmark and the 4 extras), the severities and the
     * images. Read by the corruptions section.
     */
    public record CorruptionSpec(List<String> corruptions, List<Integer> severities, Integer images) {
        public CorruptionSpec {
            corruptions = corruptions == null ? null : List.copyOf(corruptions);
            severities = severities == null ? List.of(1, 2, 3, 4, 5) : List.copyOf(severities);
            for (int s : severities) {
                if (s < 1 || s > 5) {
                    throw new InvalidOptionException("severities", "corruptions.severities: expected severities in [1,5], got " + s);
                }
            }
        }
    }

    /**
     * The attribution methods and their checks: {@code methods} by name, each method's {@code options} by library
     * name, the gallery's images per class ({@code perClass}), the images and curve points of deletion and
     * insertion ({@code deletionImages}, {@code points}) and the images of the randomisation check
     * ({@code sanityImages}).
     */
    public record ExplainSpec(List<String> methods, Map<String, Map<String, String>> options, int perClass, int deletionImages, int points,
                              int sanityImages) {
        public ExplainSpec {
            if (methods == null || methods.isEmpty()) {
                throw new InvalidOptionException("methods", "explain.methods: expected at least one attribution method");
            }
            methods = List.copyOf(methods);
            options = options == null ? Map.of() : Map.copyOf(options);
            positive("explain.per_class", perClass);
            positive("explain.deletion_images", deletionImages);
            positive("explain.points", points);
            positive("explain.sanity_images", sanityImages);
        }

        /** The run plan of method {@code name}, with {@code seed}. */
        public ExplainRun run(String name, long seed) {
            ExplainRun r = ExplainRun.of(name).withSeed(seed);
            Map<String, String> o = options.get(name);
            return o == null ? r : r.withOptions(o);
        }
    }

    /** First-layer filters ({@code filters}) and class visualisations ({@code steps} of gradient ascent, {@code starts} per class; 0 steps: none). */
    public record LearnedSpec(boolean filters, int steps, int starts) {
        public LearnedSpec {
            if (steps < 0 || steps > 10_000) {
                throw new InvalidOptionException("steps", "learned.steps: expected 0 to 10000, got " + steps);
            }
            positive("learned.starts", starts);
        }
    }

    public AuditPlan {
        if (images != null) {
            positive("images", images);
        }
        if (!(verdictEps > 0 && verdictEps <= 1)) {
            throw new InvalidOptionException("verdictEps", "verdict_eps: expected an L-inf budget in (0,1], got " + verdictEps);
        }
        attacks = List.copyOf(attacks == null ? List.of() : attacks);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new InvalidOptionException(name, name + ": expected at least 1, got " + v);
        }
    }

    /**
     * The audit's budgets for {@code norm} on input {@code [C,H,W]}: {@link Budgets#defaults}, except L2 on grayscale
     * input, where those (0 to 0.2, L-inf-sized) hardly move a 28x28 image: there 0, 0.25, 0.5, 1, 2, around the
     * L2 budgets of the MNIST literature (1.5 to 2; Madry et al. 2018, Croce and Hein 2020).
     */
    public static List<Double> budgets(Norm norm, Shape input) {
        if (norm == Norm.L2 && input.dim(0) != 3) {
            return l2Budgets();
        }
        return Budgets.defaults(norm, input).eps();
    }

    /** The grayscale L2 budgets of {@link #budgets}. */
    public static List<Double> l2Budgets() {
        return List.of(0.0, 0.25, 0.5, 1.0, 2.0);
    }

    /** The L-inf budget of the verdict: 0.1 on grayscale input, else the largest of {@link Budgets#defaults} (8/255, 4/255). */
    public static double verdictEps(Shape input) {
        if (input.dim(0) != 3) {
            return 0.1;
        }
        List<Double> e = Budgets.defaults(Norm.LINF, input).eps();
        return e.get(e.size() - 1);
    }

    /** The plan of {@code profile} for input {@code [C,H,W]}, with {@code seed}. */
    public static AuditPlan of(Profile profile, Shape input, long seed) {
        input.requireRank(3, "audit plan", "input shape [C,H,W]");
        double v = verdictEps(input);
        return switch (profile) {
            case QUICK -> new AuditPlan("quick", 300, seed, v,
                    List.of(AttackSpec.of("pgd", "linf", 10, null), AttackSpec.of("fgsm", "linf", null, null),
                            AttackSpec.of("pgd", "l2", 10, null), AttackSpec.of("fgm", "l2", null, null),
                            AttackSpec.of("deepfool", "l2", null, 100)),
                    new DiagnosticsSpec("linf", null, 100, 500), new CorruptionSpec(null, null, 100),
                    new ExplainSpec(List.of("saliency", "integrated-gradients", "grad-cam"), Map.of("integrated-gradients", Map.of("steps", "16")),
                            1, 20, 16, 8),
                    new LearnedSpec(true, 64, 1));
            case STANDARD -> new AuditPlan("standard", 1000, seed, v,
                    List.of(AttackSpec.of("pgd", "linf", null, null), AttackSpec.of("fgsm", "linf", null, null),
                            AttackSpec.of("autoattack", "linf", null, 200),
                            AttackSpec.of("pgd", "l2", null, null), AttackSpec.of("fgm", "l2", null, null),
                            AttackSpec.of("cw", "l2", null, 200), AttackSpec.of("deepfool", "l2", null, 200)),
                    new DiagnosticsSpec("linf", null, 200, 2000), new CorruptionSpec(null, null, 500),
                    new ExplainSpec(List.of("saliency", "gradient-x-input", "smoothgrad", "integrated-gradients", "grad-cam"),
                            Map.of("integrated-gradients", Map.of("steps", "32"), "smoothgrad", Map.of("samples", "16")), 2, 50, 28, 16),
                    new LearnedSpec(true, 128, 2));
            case THOROUGH -> new AuditPlan("thorough", null, seed, v,
                    List.of(new AttackSpec("pgd", "linf", null, 50, null, 2, null, null, null), AttackSpec.of("fgsm", "linf", null, null),
                            AttackSpec.of("autoattack", "linf", null, 500), AttackSpec.of("deepfool", "linf", null, 500),
                            new AttackSpec("pgd", "l2", null, 50, null, 2, null, null, null), AttackSpec.of("fgm", "l2", null, null),
                            AttackSpec.of("autoattack", "l2", null, 500), AttackSpec.of("cw", "l2", null, 500),
                            AttackSpec.of("deepfool", "l2", null, 500), AttackSpec.of("fab", "linf", null, 500),
                            AttackSpec.of("hsj", "l2", null, 100)),
                    new DiagnosticsSpec("linf", null, 500, null), new CorruptionSpec(null, null, null),
                    new ExplainSpec(Explainers.all().stream().map(a -> a.name()).toList(),
                            Map.of("integrated-gradients", Map.of("steps", "64")), 4, 100, 28, 32),
                    new LearnedSpec(true, 256, 3));
        };
    }

    /** The plan with every image ({@code null}) or the first {@code n}. */
    public AuditPlan withImages(Integer n) {
        return new AuditPlan(profile, n, seed, verdictEps, attacks, diagnostics, corruptions, explain, learned);
    }

    public AuditPlan withAttacks(List<AttackSpec> a) {
        return new AuditPlan(profile, images, seed, verdictEps, a, diagnostics, corruptions, explain, learned);
    }

    /** The plan with every budget written out for input {@code [C,H,W]}, as it runs and is recorded. */
    public AuditPlan resolved(Shape input) {
        return new AuditPlan(profile, images, seed, verdictEps, attacks.stream().map(a -> a.resolved(input)).toList(),
                diagnostics == null ? null : diagnostics.resolved(input), corruptions, explain, learned);
    }

    /** Every choice of the plan, one line each, as the command line prints them and the manifest records them. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("profile " + profile + ": " + (images == null ? "every image" : images + " images") + ", seed " + seed + ", verdict at L-inf eps "
                + Format.eps(verdictEps));
        for (AttackSpec a : attacks) {
            out.add("attack " + a.describe());
        }
        if (diagnostics != null) {
            out.add("diagnostics " + (diagnostics.norm() == null ? "linf" : diagnostics.norm()) + ": eps "
                    + (diagnostics.eps() == null ? "default" : String.join(", ", diagnostics.eps().stream().map(Format::eps).toList())) + "; "
                    + (diagnostics.images() == null ? "every audited image" : "first " + diagnostics.images() + " images") + "; black box "
                    + (diagnostics.blackBoxQueries() == null ? "at its default queries" : diagnostics.blackBoxQueries() + " queries per image"));
        }
        if (corruptions != null) {
            out.add("corruptions " + (corruptions.corruptions() == null ? "the 15 of the benchmark and the 4 extras" : String.join(", ", corruptions.corruptions()))
                    + " at severities " + corruptions.severities().stream().map(String::valueOf).reduce((x, y) -> x + "," + y).orElse("") + "; "
                    + (corruptions.images() == null ? "every audited image" : "first " + corruptions.images() + " images"));
        }
        if (explain != null) {
            List<String> m = new ArrayList<>();
            for (String name : explain.methods()) {
                Map<String, String> o = explain.options().get(name);
                m.add(o == null ? name : name + " " + new java.util.TreeMap<>(o));
            }
            out.add("explain " + String.join(", ", m) + "; gallery " + explain.perClass() + " per class; deletion and insertion on "
                    + explain.deletionImages() + " images, " + explain.points() + " points; randomisation check on " + explain.sanityImages() + " images");
        }
        if (learned != null) {
            out.add("learned: " + (learned.filters() ? "first-layer filters; " : "") + (learned.steps() == 0 ? "no class visualisations"
                    : "class visualisations of " + learned.steps() + " steps, best of " + learned.starts() + " start" + (learned.starts() == 1 ? "" : "s")));
        }
        return out;
    }

    /** The attack keyed {@code key} ({@code pgd-linf}), or null. */
    public AttackSpec attack(String key) {
        return attacks.stream().filter(a -> a.key().equals(key)).findFirst().orElse(null);
    }

    /** Every run plan checked against input {@code [C,H,W]}: an unknown method or a bad option fails here, before any work. */
    public void check(Shape input) {
        for (AttackSpec a : attacks) {
            try {
                a.run(input, seed);
            } catch (InvalidOptionException e) {
                throw new InvalidOptionException("plan", "plan: attack " + a.method() + (a.norm() == null ? "" : " " + a.norm()) + ": " + e.getMessage());
            }
        }
        if (diagnostics != null) {
            diagnostics.run(input, seed);
        }
        if (explain != null) {
            explain.methods().forEach(m -> explain.run(m, seed));
            for (String m : explain.options().keySet()) {
                // options of a registered method not run are kept (a plan file may drop a method of the profile), an unknown name is refused
                if (!Explainers.names().contains(m)) {
                    throw new InvalidOptionException("options", "explain.options: unknown method '" + m + "' (methods: "
                            + String.join(", ", Explainers.names()) + ")");
                }
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * This plan overridden by the plan file {@code file} (JSON, or YAML when it ends in {@code .yaml}/{@code .yml}):
     * its objects merge into this plan's key by key, its lists and values replace. An unreadable file is an
     * {@link IOException}; an unknown key or a wrong value an {@link InvalidOptionException} naming it.
     */
    public AuditPlan overriddenBy(Path file) throws IOException {
        return overriddenBy(file, note -> { });
    }

    /**
     * As {@link #overriddenBy(Path)}, the file's budgets ({@code attacks[i].eps}, {@code attacks[i].step_size},
     * {@code diagnostics.eps}, {@code verdict_eps}) numbers or fractions such as {@code 8/255}
     * ({@link Budgets#parse}), and a budget given twice in one list run once: {@code notes} receives a line for
     * each list that repeated one ({@code plan.yaml: attacks[0].eps: 0.1 is given more than once; it runs once}).
     */
    public AuditPlan overriddenBy(Path file, Consumer<String> notes) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > 1 << 20) {
            throw new IOException(file + ": a plan file holds at most 1 MiB, got " + bytes.length + " bytes");
        }
        JsonNode given;
        try {
            given = (name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON).readTree(bytes);
        } catch (IOException e) {
            throw new IOException(file + ": not a JSON or YAML plan: " + firstLine(e.getMessage()));
        }
        if (given == null || given.isMissingNode() || given.isNull()) {
            return this;
        }
        if (!given.isObject()) {
            throw new InvalidOptionException("plan", file + ": expected an object of plan fields, got " + given.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        budgets((ObjectNode) given, file, notes);
        ObjectNode merged = JSON.valueToTree(this);
        merge(merged, (ObjectNode) given);
        try {
            return JSON.treeToValue(merged, AuditPlan.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidOptionException("plan", file + ": unknown field '" + e.getPropertyName() + "' (fields: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ")");
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r && (c instanceof IllegalArgumentException)) {
                throw new InvalidOptionException("plan", file + ": " + r.getMessage());
            }
            throw new InvalidOptionException("plan", file + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The budget fields of a plan file's tree as numbers, and each of its budget lists with every budget once. */
    private static void budgets(ObjectNode given, Path file, Consumer<String> notes) {
        number(given, "verdict_eps", "verdict_eps", file);
        if (given.get("attacks") instanceof ArrayNode attacks) {
            for (int i = 0; i < attacks.size(); i++) {
                if (attacks.get(i) instanceof ObjectNode a) {
                    number(a, "step_size", "attacks[" + i + "].step_size", file);
                    budgetList(a, "attacks[" + i + "].eps", file, notes);
                }
            }
        }
        if (given.get("diagnostics") instanceof ObjectNode d) {
            budgetList(d, "diagnostics.eps", file, notes);
        }
    }

    private static void number(ObjectNode o, String field, String where, Path file) {
        JsonNode v = o.get(field);
        if (v != null && v.isTextual()) {
            o.put(field, budget(v.asText(), where, file));
        }
    }

    private static double budget(String text, String where, Path file) {
        try {
            return Budgets.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("plan", file + ": " + where + ": " + e.getMessage());
        }
    }

    /** {@code o}'s {@code eps} list as numbers, each once; other values are left for the plan's own checks to refuse. */
    private static void budgetList(ObjectNode o, String where, Path file, Consumer<String> notes) {
        if (!(o.get("eps") instanceof ArrayNode given)) {
            return;
        }
        List<Double> values = new ArrayList<>();
        for (JsonNode e : given) {
            if (e.isNumber()) {
                values.add(e.asDouble());
            } else if (e.isTextual()) {
                values.add(budget(e.asText(), where, file));
            } else {
                return;
            }
        }
        Budgets.Once once = Budgets.once(values);
        if (once.note() != null) {
            notes.accept(file + ": " + where + ": " + once.note());
        }
        ArrayNode kept = o.putArray("eps");
        once.kept().forEach(kept::add);
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** The plan as snake-case JSON values, as recorded and as a plan file reads. */
    public Map<String, Object> asMap() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JSON.convertValue(this, LinkedHashMap.class);
        return m;
    }
}
