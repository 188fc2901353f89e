package dev.fovea.audit.run;

import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.AttackOptions;
import dev.fovea.attacks.AttackResult;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.Stats;
import dev.fovea.audit.report.Format;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An attack at a list of budgets, as a plan: the attack, its norm, the budgets (sorted ascending), the target and
 * seed, the options that override the attack's defaults at each budget ({@code null}: the attack's default at
 * that budget, so a default step size follows eps), and the attack's own options ({@link Attack#defaultOptions()}
 * unless given, by record or by named values through the registry: {@link #withOptions(Map)}). {@link #run} measures clean accuracy, attacks at each budget
 * and returns a {@link Result}. A minimum-norm attack searches once for all budgets, in chunks of 16 samples for
 * progress (all at once for a random target, whose draws follow the sample order).
 *
 * <pre>{@code
 * AttackRun.Result r = AttackRun.of("pgd", 0.01, 0.03, 0.1).run(model, data);
 * r.budgets().forEach(b -> System.out.println(b.eps() + " " + b.robustAccuracy()));
 * AttackRun cw = AttackRun.of("cw", 1.0).withOptions(Map.of("kappa", "2", "searchSteps", "5"));
 * }</pre>
 */
public record AttackRun(Attack attack, Norm norm, List<Double> budgets, Target target, long seed, Integer steps, Double stepSize,
                        Integer restarts, Boolean randomStart, AttackOptions attackOptions) {
    /** Samples per chunk of a minimum-norm search. */
    static final int SEARCH_CHUNK = 16;

    /** {@code attackOptions} {@code null} (or {@link AttackOptions#NONE}) is the attack's defaults; a record of another attack is refused. */
    public AttackRun {
        if (attack == null) {
            throw new InvalidOptionException("method", "method is required");
        }
        attackOptions = attack.resolve(attackOptions);
        norm = norm == null ? attack.defaultNorm() : norm;
        if (!attack.norms().contains(norm)) {
            throw new InvalidOptionException("norm", "norm: " + attack.name() + " works in " + Attack.names(attack.norms()) + ", got "
                    + norm.name().toLowerCase(Locale.ROOT));
        }
        if (budgets == null || budgets.isEmpty()) {
            throw new InvalidOptionException("eps", "eps: expected at least one budget");
        }
        for (double e : budgets) {
            if (norm == Norm.L2 ? !(e >= 0) || !Double.isFinite(e) : !(e >= 0 && e <= 1)) {
                throw new InvalidOptionException("eps", norm == Norm.L2 ? "eps values must be finite and >= 0 for l2 (pixel units), got " + e
                        : "eps values must be in [0,1] for " + norm.name().toLowerCase(Locale.ROOT) + " (pixel units; l0: fraction of pixels), got " + e);
            }
        }
        List<Double> sorted = new ArrayList<>(budgets);
        sorted.sort(Double::compare);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).doubleValue() == sorted.get(i - 1).doubleValue()) {
                throw new InvalidOptionException("eps", "eps: budget " + sorted.get(i) + " is given twice; give each budget once");
            }
        }
        budgets = List.copyOf(sorted);
        target = target == null ? Target.UNTARGETED : target;
        attack.requireTarget(target);
        // Validates the overrides once, at the largest budget.
        configAt(attack, norm, budgets.get(budgets.size() - 1), target, seed, steps, stepSize, restarts, randomStart);
    }

    /** The plan with the attack's own options at their defaults. */
    public AttackRun(Attack attack, Norm norm, List<Double> budgets, Target target, long seed, Integer steps, Double stepSize, Integer restarts,
                     Boolean randomStart) {
        this(attack, norm, budgets, target, seed, steps, stepSize, restarts, randomStart, null);
    }

    /** The attack named {@code method} at budgets {@code eps}, in its default norm, untargeted, seed 0, its own defaults. */
    public static AttackRun of(String method, double... eps) {
        return of(Attacks.named(method), eps);
    }

    public static AttackRun of(Attack attack, double... eps) {
        return new AttackRun(attack, null, Arrays.stream(eps).boxed().toList(), Target.UNTARGETED, AttackConfig.DEFAULT_SEED, null, null, null, null);
    }

    public AttackRun withNorm(Norm n) {
        return new AttackRun(attack, n, budgets, target, seed, steps, stepSize, restarts, randomStart, attackOptions);
    }

    public AttackRun withTarget(Target t) {
        return new AttackRun(attack, norm, budgets, t, seed, steps, stepSize, restarts, randomStart, attackOptions);
    }

    public AttackRun withSeed(long s) {
        return new AttackRun(attack, norm, budgets, target, s, steps, stepSize, restarts, randomStart, attackOptions);
    }

    public AttackRun withSteps(Integer v) {
        return new AttackRun(attack, norm, budgets, target, seed, v, stepSize, restarts, randomStart, attackOptions);
    }

    public AttackRun withStepSize(Double v) {
        return new AttackRun(attack, norm, budgets, target, seed, steps, v, restarts, randomStart, attackOptions);
    }

    public AttackRun withRestarts(Integer v) {
        return new AttackRun(attack, norm, budgets, target, seed, steps, stepSize, v, randomStart, attackOptions);
    }

    public AttackRun withRandomStart(Boolean v) {
        return new AttackRun(attack, norm, budgets, target, seed, steps, stepSize, restarts, v, attackOptions);
    }

    /**
     * The attack's own options from named values (library names, e.g. {@code kappa=2}), read by the attack's
     * {@link Attack#options(Map)}; absent names keep the defaults, an unknown name or a bad value is an
     * {@link InvalidOptionException} naming it.
     */
    public AttackRun withOptions(Map<String, String> values) {
        return withOptions(attack.options(values));
    }

    /** The attack's own options ({@code null}: its defaults). */
    public AttackRun withOptions(AttackOptions o) {
        return new AttackRun(attack, norm, budgets, target, seed, steps, stepSize, restarts, randomStart, o);
    }

    /** The attack's configuration at budget {@code eps}: its defaults there, overridden by this plan's options. */
    public AttackConfig config(double eps) {
        return configAt(attack, norm, eps, target, seed, steps, stepSize, restarts, randomStart).withOptions(attackOptions);
    }

    private static AttackConfig configAt(Attack a, Norm n, double e, Target t, long seed, Integer steps, Double stepSize, Integer restarts,
                                         Boolean randomStart) {
        AttackConfig d = a.defaults(n, e);
        return new AttackConfig(n, e, steps != null ? steps : d.steps(), stepSize != null ? stepSize : d.stepSize(),
                restarts != null ? restarts : d.restarts(), randomStart != null ? randomStart : d.randomStart(), t, seed);
    }

    /**
     * The name of budget {@code eps} in this run's tables and files: four decimals, or more where two budgets would
     * share them ({@link Format#eps(double, java.util.Collection)}).
     */
    public String name(double eps) {
        return Format.eps(eps, budgets);
    }

    /** The plan at other budgets (checked and sorted as in the constructor). */
    public AttackRun withBudgets(List<Double> eps) {
        return new AttackRun(attack, norm, eps, target, seed, steps, stepSize, restarts, randomStart, attackOptions);
    }

    /**
     * The step size the attack takes at budget {@code eps}, in its norm (Carlini-Wagner's: Adam's learning rate;
     * JSMA's: theta), or {@code null} when it reads none ({@link Attack#options()}) or takes no step there: a
     * fixed-budget attack leaves budget 0 alone, and a minimum-norm attack searches once, with the step size of the
     * largest budget, for all of them.
     */
    public Double stepSize(double eps) {
        if (attack.options().stream().noneMatch(o -> o.name().equals("stepSize"))) {
            return null;
        }
        if (attack.minimumNorm()) {
            return reported().stepSize();
        }
        return eps == 0 ? null : config(eps).stepSize();
    }

    /** The configuration reported for the whole run: the one at the largest budget. */
    public AttackConfig reported() {
        return config(budgets.get(budgets.size() - 1));
    }

    /** Every option of the plan by library name, for provenance; the attack's own under {@code options}. */
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        AttackConfig c = reported();
        o.put("method", attack.name());
        o.put("norm", norm.name().toLowerCase(Locale.ROOT));
        o.put("eps", budgets);
        o.put("target", describe(target, null));
        o.put("steps", c.steps());
        o.put("stepSize", stepSize);
        o.put("restarts", c.restarts());
        o.put("randomStart", c.randomStart());
        o.put("seed", seed);
        o.put("options", attackOptions);
        return o;
    }

    /** {@code no}, {@code random}, {@code least-likely}, or the class: its name in {@code classNames} (may be null), else its index. */
    public static String describe(Target t, List<String> classNames) {
        if (t instanceof Target.Fixed f) {
            int c = f.classIndex();
            return classNames != null && c >= 0 && c < classNames.size() ? classNames.get(c) : Integer.toString(c);
        }
        if (t instanceof Target.RandomClass) {
            return "random";
        }
        if (t instanceof Target.LeastLikely) {
            return "least-likely";
        }
        return "no";
    }

    /**
     * Checks the plan against a model before any data is read: an L2 budget must be at most {@link #maxL2(Shape)}
     * of the model's input, and a fixed target class must exist. {@link #run} checks the budgets too.
     */
    public void check(Classifier model) {
        checkBudgets(model.inputShape());
        target.resolve(model, Tensor.zeros(model.inputShape().withBatch(1)), new int[] {0}, seed);
    }

    /**
     * The largest L2 budget that means anything for inputs {@code [C,H,W]} in the pixel box {@code [0,1]}:
     * {@code sqrt(C*H*W)}, the L2 distance from the all-black to the all-white image (28 for {@code [1,28,28]},
     * 55.4 for {@code [3,32,32]}).
     */
    public static double maxL2(Shape input) {
        return Math.sqrt(input.size());
    }

    private void checkBudgets(Shape input) {
        double max = maxL2(input);
        double largest = budgets.get(budgets.size() - 1);
        if (norm == Norm.L2 && largest > max) {
            throw new InvalidOptionException("eps", "eps values must be at most sqrt(C*H*W) = "
                    + (max == Math.rint(max) ? Long.toString((long) max) : String.format(Locale.ROOT, "%.2f", max))
                    + " for l2 on inputs " + input + " (the distance from a black to a white image), got " + largest);
        }
    }

    /** What a run reports as it goes, besides progress. */
    public interface Listener extends ProgressListener {
        /** Clean predictions are known; the attack starts. */
        default void clean(double accuracy) {
        }

        /** One budget is done. */
        default void budget(Budget b) {
        }
    }

    /** A listener that shows progress only. */
    public static Listener listener(ProgressListener p) {
        return p::start;
    }

    /** One budget's outcome: the attack's result, the softmax of the adversarial images ({@code [N*K]}), robust accuracy. */
    public record Budget(double eps, AttackResult result, float[] adversarialProbability, double robustAccuracy) {
    }

    /**
     * A run's outcome: the plan, the classes, the clean images and labels, the clean predictions and softmax
     * ({@code [N*K]}), clean accuracy, each budget's outcome in ascending order, and the wall time in seconds.
     */
    public record Result(AttackRun plan, List<String> classNames, Tensor images, int[] labels, int[] cleanPrediction, float[] cleanProbability,
                         double cleanAccuracy, List<Budget> budgets, double seconds) {
        public int size() {
            return labels.length;
        }

        /** Whether the attack searched for minimal perturbations (then every budget's result holds them). */
        public boolean hasMinimalNorm() {
            return budgets.get(0).result().hasMinimalNorm();
        }

        /** The budget at {@code eps}. */
        public Budget at(double eps) {
            return budgets.stream().filter(b -> b.eps() == eps).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("eps " + eps + " is not among the budgets " + plan.budgets()));
        }
    }

    public Result run(Classifier model, Dataset data) {
        return run(model, data.images(), data.labels(), ProgressListener.NONE);
    }

    public Result run(Classifier model, Tensor x, int[] y, ProgressListener progress) {
        checkBudgets(model.inputShape());
        Listener l = progress instanceof Listener ll ? ll : listener(progress);
        long t0 = System.nanoTime();
        int k = model.classes();
        Tensor cleanLogits = model.logits(x);
        float[] cleanP = Softmax.apply(cleanLogits.data(), y.length, k);
        int[] cleanPred = cleanLogits.argmaxRows();
        double cleanAcc = Stats.accuracy(cleanPred, y);
        l.clean(cleanAcc);
        List<AttackResult> searched = minimumNormSearch(model, x, y, l);
        List<Budget> out = new ArrayList<>();
        int per = model.inputShape().size();
        long total = searched != null ? 0 : queryBound(k, per, y.length);
        // After a minimum-norm search the budgets only project its result: nothing to show.
        ProgressListener bars = searched != null ? ProgressListener.NONE : l;
        try (ProgressListener.Task bar = bars.start("attack", total, "queries")) {
            Counted counted = new Counted(model, bar);
            for (int b = 0; b < budgets.size(); b++) {
                double e = budgets.get(b);
                counted.slice(y.length * queryBound(e, k, per), "eps " + name(e));
                AttackResult r = searched != null ? searched.get(b) : attack.run(counted, x, y, config(e));
                counted.endSlice();
                float[] advP = Softmax.apply(model.logits(r.adversarial()).data(), y.length, k);
                Budget done = new Budget(e, r, advP, r.robustAccuracy(y));
                out.add(done);
                l.budget(done);
            }
        }
        return new Result(this, model.classNames(), x, y, cleanPred, cleanP, cleanAcc, out, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The model evaluations a run on {@code samples} samples may spend at most, on a model of {@code classes}
     * classes and inputs of {@code inputSize} values: the search's for a minimum-norm attack, else the sum over the
     * budgets ({@link Attack#queryBound}). Progress counts towards it.
     */
    public long queryBound(int classes, int inputSize, int samples) {
        if (attack.minimumNorm()) {
            return samples * attack.queryBound(config(budgets.get(budgets.size() - 1)), classes, inputSize);
        }
        long total = 0;
        for (double e : budgets) {
            total += samples * queryBound(e, classes, inputSize);
        }
        return total;
    }

    /** Model evaluations per sample at {@code e} at most: none at budget 0, where the images stay as they are. */
    private long queryBound(double e, int classes, int inputSize) {
        return e == 0 ? 0 : attack.queryBound(config(e), classes, inputSize);
    }

    private List<AttackResult> minimumNormSearch(Classifier m, Tensor x, int[] y, ProgressListener p) {
        if (!attack.minimumNorm()) {
            return null;
        }
        double[] b = budgets.stream().mapToDouble(Double::doubleValue).toArray();
        AttackConfig c = config(b[b.length - 1]);
        int chunk = target instanceof Target.RandomClass ? Math.max(1, y.length) : SEARCH_CHUNK;
        List<List<AttackResult>> parts = new ArrayList<>();
        long bound = attack.queryBound(c, m.classes(), m.inputShape().size());
        try (ProgressListener.Task bar = p.start(attack.name() + " search", queryBound(m.classes(), m.inputShape().size(), y.length), "queries")) {
            Counted counted = new Counted(m, bar);
            for (int from = 0; from < y.length; from += chunk) {
                int to = Math.min(y.length, from + chunk);
                counted.slice((to - from) * bound, (to - from) + " images from " + from);
                parts.add(attack.runAtBudgets(counted, x.slice(from, to), Arrays.copyOfRange(y, from, to), c, b));
                counted.endSlice();
            }
        }
        List<AttackResult> all = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            List<AttackResult> atI = new ArrayList<>();
            for (List<AttackResult> part : parts) {
                atI.add(part.get(i));
            }
            all.add(AttackResult.concat(atI));
        }
        return all;
    }
}
