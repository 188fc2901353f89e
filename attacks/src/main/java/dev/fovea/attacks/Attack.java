package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An adversarial attack: stateless, configured per call. {@link #run} is the template every attack goes through:
 * it checks the input, copies it (the caller's tensor is never changed), resolves the target option into a
 * {@link Criterion}, asks the attack for a candidate, then itself projects the perturbation onto the {@code eps}
 * ball and the pixel box and measures the outcome with that criterion. No attack can forget the projection, and
 * every result lies inside the ball and the box.
 *
 * <p>Options come in an {@link AttackConfig}, the record all attacks share; {@link #options()} says which of its
 * components the attack reads, with their defaults ({@link #defaults(Norm, double)}). The knobs that belong to one
 * attack (Carlini-Wagner's binary search, DeepFool's overshoot) are a record of its own, {@link AttackConfig#options()}:
 * the attack gives its defaults ({@link #defaultOptions()}), describes them ({@link #optionInfo()}) and builds them
 * from named values ({@link #options(Map)}), so that front ends, audit plans and batch specs are driven by the
 * registry ({@link Attacks}). Invalid values are {@link InvalidOptionException}s naming the option.
 */
public abstract class Attack {
    /** Short name, the registry's key ({@code pgd}). */
    public abstract String name();

    /** One line for listings: paper, norms, white or black box, targeted support. */
    public abstract String describe();

    /** Whether the attack needs gradients (white box) or only outputs (black box). */
    public abstract boolean whiteBox();

    /** The norm the attack uses unless told otherwise. */
    public abstract Norm defaultNorm();

    /** The norms the attack works in: L-inf and L2 unless it says otherwise. */
    public java.util.Set<Norm> norms() {
        return java.util.EnumSet.of(Norm.LINF, Norm.L2);
    }

    /**
     * The {@link AttackConfig} components the attack reads, by their names ({@code norm}, {@code eps}, {@code steps},
     * {@code stepSize}, {@code restarts}, {@code randomStart}, {@code target}, {@code seed}), each with the default
     * of {@link #defaults(Norm, double)} as text ({@code null} for {@code eps}, which has none, and for
     * {@code target}, untargeted unless given); a default that follows the budget is an expression in {@code eps}
     * ({@code 2*eps}). Components not listed are ignored.
     */
    public abstract List<OptionInfo> options();

    /**
     * Of the {@link AttackConfig} components {@code given} by a caller, by library name, those this attack does not
     * read ({@link #options()}), each with the reason ({@code "not an option of jsma"}); a front end warns about them.
     */
    public final Map<String, String> unused(Collection<String> given) {
        Set<String> read = new HashSet<>();
        options().forEach(o -> read.add(o.name()));
        Map<String, String> out = new LinkedHashMap<>();
        for (String g : given) {
            if (!read.contains(g)) {
                out.put(g, "not an option of " + name());
            }
        }
        return out;
    }

    /** The attack's own options at their defaults; {@link AttackOptions#NONE} for an attack without any. */
    public AttackOptions defaultOptions() {
        return AttackOptions.NONE;
    }

    /**
     * The attack's own options (not the {@link AttackConfig} components of {@link #options()}), by their library
     * names, with types, defaults and meaning.
     */
    public List<OptionInfo> optionInfo() {
        return List.of();
    }

    /**
     * The attack's own options from named values, as text ({@code kappa=5}); absent names take the defaults. A name
     * the attack does not have, a value that does not parse or one out of range is an {@link InvalidOptionException}
     * naming the option.
     */
    public final AttackOptions options(Map<String, String> values) {
        return parse(new OptionValues(name(), optionInfo(), values, null));
    }

    /** The options record from {@code values}, already checked against {@link #optionInfo()}. */
    protected AttackOptions parse(OptionValues values) {
        return defaultOptions();
    }

    /**
     * The attack's own options that {@code options} stands for: its {@link #defaultOptions()} for
     * {@link AttackOptions#NONE} (or {@code null}), else {@code options} itself, which must be of the type of the
     * defaults. {@link #run} does this before any work; an attack reads its options through it.
     */
    public final AttackOptions resolve(AttackOptions options) {
        AttackOptions d = defaultOptions();
        if (options == null || options instanceof AttackOptions.None) {
            return d;
        }
        if (!d.getClass().isInstance(options)) {
            String want = d instanceof AttackOptions.None ? "no options of its own" : "options " + typeName(d);
            throw new IllegalArgumentException(name() + ": expected " + want + ", got " + typeName(options));
        }
        return options;
    }

    /** {@code CarliniWagner.Options}: the options' class without its package. */
    private static String typeName(AttackOptions o) {
        String n = o.getClass().getName();
        return n.substring(n.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** Options this attack uses when the caller gives none (steps, step size, random start...) under {@code norm}. */
    public abstract AttackConfig defaults(Norm norm, double eps);

    /** {@link #defaults(Norm, double)} under the default norm. */
    public final AttackConfig defaults(double eps) {
        return defaults(defaultNorm(), eps);
    }

    /** Throws an {@link InvalidOptionException} on option {@code norm} unless the attack works in {@code norm}. */
    public final void requireNorm(Norm norm) {
        if (!norms().contains(norm)) {
            throw new InvalidOptionException("norm", "norm: " + name() + " works in " + names(norms()) + ", got " + norm.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Whether the attack can aim for a target class; one that cannot (the decision-based attacks, which start from
     * noise that would have to land in the target) refuses any {@link Target} but {@link Target#UNTARGETED}.
     */
    public boolean targets() {
        return true;
    }

    /** Throws an {@link InvalidOptionException} on option {@code target} when {@code t} aims for a class the attack cannot aim for. */
    public final void requireTarget(Target t) {
        if (t != null && t.targeted() && !targets()) {
            throw new InvalidOptionException("target", "target: " + name() + " is untargeted only, got a target");
        }
    }

    /**
     * Proposes adversarial images for {@code x} (a copy the attack may change) under {@code criterion}, which knows
     * each sample's label and, when it has one, its target class. {@code queries} counts model calls per sample.
     */
    protected abstract Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries);

    /**
     * An upper bound on the model evaluations (forward or backward passes) one sample costs in one run at {@code cfg}
     * on a model of {@code classes} classes and inputs of {@code inputSize} values, for progress bars and run plans: here its steps times its restarts,
     * plus the forward passes that check the start and the result; attacks that spend their budget otherwise say
     * so. Attacks that drop fooled samples spend less.
     */
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        return (long) cfg.steps() * Math.max(1, cfg.restarts()) + 2;
    }

    /**
     * Whether the attack searches for each sample's smallest adversarial perturbation (DeepFool, Carlini-Wagner)
     * instead of spending a fixed budget; its search ignores {@code eps}, which only bounds the result, and
     * {@link AttackResult#minimalNorm()} holds what it found.
     */
    public boolean minimumNorm() {
        return false;
    }

    /**
     * Whether the attack is an ensemble that runs components in turn, so that its results say which component
     * fooled each sample ({@link AttackResult#fooledBy()}).
     */
    public boolean ensemble() {
        return false;
    }

    /**
     * What {@link #run} asks for: the proposal of {@link #perturb}; a minimum-norm attack also writes into
     * {@code minimalNorm[i]} the norm (in {@code cfg.norm()}) of the smallest successful perturbation it found for
     * sample {@code i}, {@code +inf} when it found none (fixed-budget attacks leave it {@code NaN}), and an
     * {@link #ensemble()} writes into {@code fooledBy[i]} the name of the component that fooled sample {@code i}
     * ({@code fooledBy} is {@code null} for other attacks).
     */
    Tensor propose(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm, String[] fooledBy) {
        return perturb(model, x, criterion, cfg, queries);
    }

    public final AttackResult run(Classifier model, Tensor x, int[] labels, AttackConfig cfg) {
        return runAtBudgets(model, x, labels, cfg, new double[] {cfg.eps()}).get(0);
    }

    /**
     * The attack at each budget of {@code budgets} (other options from {@code cfg}). A minimum-norm attack searches
     * once, whatever the budgets (also when every budget is 0, so that the minimal perturbations are always found),
     * and projects its result onto each ball; a fixed-budget attack runs once per budget, as {@link #run} with
     * {@link AttackConfig#withEps}, and leaves the images unchanged at budget 0.
     */
    public final java.util.List<AttackResult> runAtBudgets(Classifier model, Tensor x, int[] labels, AttackConfig cfg, double[] budgets) {
        if (x.shape().rank() != 4 || x.dim(0) != labels.length) {
            throw new ShapeException(name() + ": expected images [N,C,H,W] and N labels, got " + x.shape() + " and " + labels.length);
        }
        for (int y : labels) {
            if (y < 0 || y >= model.classes()) {
                throw new IllegalArgumentException(name() + ": label " + y + " is outside the model's " + model.classes() + " classes");
            }
        }
        requireNorm(cfg.norm());
        requireTarget(cfg.target());
        cfg = cfg.withOptions(resolve(cfg.options()));
        int n = labels.length;
        Criterion criterion = Criterion.of(labels, cfg.target().resolve(model, x, labels, cfg.seed()));
        Tensor clean = x.copy();
        java.util.List<AttackResult> out = new java.util.ArrayList<>();
        Tensor found = null;
        double[] minimal = new double[n];
        long[] searchQueries = new long[n];
        String[] searchBy = ensemble() ? new String[n] : null;
        if (minimumNorm()) {
            java.util.Arrays.fill(minimal, Double.POSITIVE_INFINITY);
            found = propose(model, x.copy(), criterion, cfg, searchQueries, minimal, searchBy);
        } else {
            java.util.Arrays.fill(minimal, Double.NaN);
        }
        int[] cleanPred = model.predict(clean);
        for (double eps : budgets) {
            AttackConfig c = eps == cfg.eps() ? cfg : cfg.withEps(eps);
            long[] queries = found != null ? searchQueries.clone() : new long[n];
            String[] by = searchBy == null ? null : found != null ? searchBy.clone() : new String[n];
            Tensor adv;
            if (found != null) {
                adv = found.copy();
            } else {
                adv = eps == 0 ? x.copy() : propose(model, x.copy(), criterion, c, queries, minimal, by);
            }
            Perturbations.projectInto(clean, adv, c.norm(), eps, model.bounds());
            out.add(measure(model, clean, cleanPred.clone(), adv, criterion, queries, minimal.clone(), by));
        }
        return out;
    }

    /** {@code linf or l2}: the norms in lower case. */
    public static String names(java.util.Set<Norm> norms) {
        return String.join(" or ", norms.stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    /**
     * The result under {@code criterion}; an ensemble's samples that no component fooled are {@code clean} when the
     * criterion holds for them anyway (already misclassified), else {@code none}.
     */
    private static AttackResult measure(Classifier model, Tensor clean, int[] cleanPred, Tensor adv, Criterion criterion, long[] queries,
                                        double[] minimal, String[] fooledBy) {
        int n = criterion.size();
        int[] advPred = model.predict(adv);
        boolean[] success = criterion.test(advPred);
        double[] l0 = new double[n];
        double[] l2 = new double[n];
        double[] linf = new double[n];
        int per = clean.shape().sizeFrom(1);
        float[] d = new float[per];
        for (int i = 0; i < n; i++) {
            int nz = 0;
            for (int j = 0; j < per; j++) {
                d[j] = adv.data()[i * per + j] - clean.data()[i * per + j];
                if (d[j] != 0f) {
                    nz++;
                }
            }
            l0[i] = nz;
            l2[i] = Norm.L2.measure(d, 0, per);
            linf[i] = Norm.LINF.measure(d, 0, per);
        }
        List<String> by = List.of();
        if (fooledBy != null) {
            for (int i = 0; i < n; i++) {
                if (fooledBy[i] == null) {
                    fooledBy[i] = success[i] ? AttackResult.CLEAN : AttackResult.NONE;
                }
            }
            by = List.of(fooledBy);
        }
        return new AttackResult(adv, cleanPred, advPred, criterion.targets(), success, l0, l2, linf, queries, minimal, by);
    }
}
