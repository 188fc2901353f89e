package dev.fovea.attacks;

import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * An ensemble in the manner of AutoAttack (Croce and Hein 2020, "Reliable evaluation of adversarial robustness with
 * an ensemble of diverse parameter-free attacks", ICML): components run in turn, each only on the samples that all
 * earlier ones left correctly classified (for a target: not yet at the target). Each sample keeps the point of the
 * first component that fools it, else the last component's worst case; its results say which component fooled
 * which sample ({@link AttackResult#fooledBy()}: a component's name, {@code clean} or {@code none}).
 *
 * <p>Two are registered: {@code autoattack}, AutoAttack's standard version, runs APGD on the cross-entropy,
 * targeted APGD on the DLR loss, targeted FAB ({@code fab-t}, {@link Fab}, counted a success only within the
 * budget) and the black-box Square attack; {@code autoattack-fast} leaves FAB-T out (the ensemble fovea ran as
 * {@code autoattack} before, with the same results), which saves FAB-T's 9 x 100 gradient steps on the samples
 * the two APGD runs leave.
 *
 * <p>Components and their options: {@code apgd-ce} and {@code apgd-t} ({@link Apgd}; {@code apgd-t} over the 9
 * most likely wrong classes, or the given target) with this configuration's steps (default 100), step size
 * (default {@code 2 eps}), restarts and random start; {@code fab-t} with the same steps and restarts, over the 9
 * likeliest wrong classes; {@link Square} with a budget of {@code 50 * steps} queries (5000 by default, at most
 * {@link AttackConfig#MAX_STEPS}). Queries add up over the components, plus one forward pass per sample for the
 * clean predictions and one after each component that sees it. Input {@code [N,C,H,W]}. The ensemble has no
 * options of its own, and each component runs with its own at their defaults ({@link Attack#defaultOptions()}).
 *
 * <p>Deviations from AutoAttack's standard version: its APGD-T restarts once per target class, here
 * {@code restarts} times; its Square uses 5000 queries whatever the APGD steps; its FAB-T stops a sample at the
 * first target class that fools it within the budget, fovea's searches all 9 and keeps the smallest perturbation.
 */
public final class AutoAttack extends Attack {
    static final int SQUARE_QUERIES_PER_STEP = 50;

    private final String name;
    private final String description;
    private final List<Attack> components;

    /** An ensemble of {@code components}, run in this order; the white-box ones get the steps, the black-box ones the queries. */
    public AutoAttack(String name, String description, List<Attack> components) {
        this.name = name;
        this.description = description;
        this.components = List.copyOf(components);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The components' names, in the order they run. */
    public List<String> components() {
        return components.stream().map(Attack::name).toList();
    }

    @Override
    public boolean whiteBox() {
        return true;
    }

    @Override
    public Norm defaultNorm() {
        return Norm.LINF;
    }

    /** Its components' bounds in turn, with the black-box ones at their query budget, plus a check after each. */
    @Override
    public long queryBound(AttackConfig cfg, int classes, int inputSize) {
        long sum = 1;
        for (Attack a : components) {
            AttackConfig c = a.whiteBox() ? cfg : cfg.withSteps((int) Math.min(AttackConfig.MAX_STEPS, (long) SQUARE_QUERIES_PER_STEP * cfg.steps()));
            sum += a.queryBound(c.withOptions(AttackOptions.NONE), classes, inputSize) + 1;
        }
        return sum;
    }

    @Override
    public AttackConfig defaults(Norm n, double eps) {
        return new AttackConfig(n, eps, 100, eps > 0 ? 2 * eps : 1e-3, 1, true, Target.UNTARGETED, AttackConfig.DEFAULT_SEED);
    }

    @Override
    public List<OptionInfo> options() {
        return List.of(SharedOptions.norm(this), SharedOptions.eps(), SharedOptions.steps(100, "APGD (and FAB-T) iterations per run; Square gets " + SQUARE_QUERIES_PER_STEP + " queries per step"),
                SharedOptions.stepSize(SharedOptions.timesEps(2), "APGD's initial step size in the norm (1e-3 at eps 0)"), SharedOptions.restarts(1),
                SharedOptions.randomStart(true), SharedOptions.target(), SharedOptions.seed("seed of the random starts, the random search and random targets"));
    }

    @Override
    public boolean ensemble() {
        return true;
    }

    @Override
    protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        return ensemble(model, x, criterion, cfg, queries, new String[criterion.size()]);
    }

    @Override
    Tensor propose(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm, String[] fooledBy) {
        return ensemble(model, x, criterion, cfg, queries, fooledBy);
    }

    /** The ensemble's images; {@code by[i]} becomes the component that fooled sample {@code i} ({@code clean} before any ran). */
    private Tensor ensemble(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, String[] by) {
        int n = criterion.size();
        int per = x.shape().sizeFrom(1);
        Tensor clean = x.copy();
        Tensor best = x.copy();
        boolean[] done = criterion.test(model.predict(clean));
        for (int i = 0; i < n; i++) {
            queries[i]++;
            if (done[i]) {
                by[i] = AttackResult.CLEAN;
            }
        }
        for (Attack a : components) {
            int[] rest = Apgd.remaining(done, false);
            if (rest.length == 0) {
                break;
            }
            // The black-box component spends queries, not steps.
            AttackConfig c = a.whiteBox() ? cfg : cfg.withSteps((int) Math.min(AttackConfig.MAX_STEPS, (long) SQUARE_QUERIES_PER_STEP * cfg.steps())).withRandomStart(false);
            Tensor c0 = clean.gather(rest);
            long[] q = new long[rest.length];
            Criterion sub = criterion.gather(rest);
            Tensor adv = a.perturb(model, c0.copy(), sub, c, q);
            Perturbations.projectInto(c0, adv, cfg.norm(), cfg.eps(), model.bounds());
            boolean[] hit = sub.test(model.predict(adv));
            for (int i = 0; i < rest.length; i++) {
                int idx = rest[i];
                queries[idx] += q[i] + 1;
                System.arraycopy(adv.data(), i * per, best.data(), idx * per, per);
                if (hit[i]) {
                    done[idx] = true;
                    by[idx] = a.name();
                }
            }
        }
        return best;
    }
}
