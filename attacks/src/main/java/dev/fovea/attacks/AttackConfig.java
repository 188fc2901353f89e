package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;

/**
 * The options record all attacks share, validated here; each attack reads the components its
 * {@link Attack#options()} names and ignores the rest. Start from an attack's defaults and change what differs:
 * {@code pgd.defaults(Norm.LINF, 8 / 255.).withSteps(40)}.
 *
 * <p>{@code eps} is the budget in pixel units of {@code [0,1]} images, measured in {@code norm} (for L0, the
 * fraction of input values that may change); {@code stepSize} is per step in the same norm; {@code restarts}
 * counts the runs from fresh random starts ({@code steps} is at most {@value #MAX_STEPS}, since some attacks keep
 * each step's loss), of which each sample keeps its worst case; {@code randomStart} starts
 * from a random point of the ball; {@code target} is what the attack aims for; {@code seed} drives every random
 * choice (random starts, random targets). A bad value is an {@link InvalidOptionException} naming the component.
 *
 * <p>{@code options} are the knobs that belong to the attack alone (Carlini-Wagner's binary search, DeepFool's
 * overshoot, Square's {@code pInit}...), its own record ({@link Attack#defaultOptions()}, {@link Attack#options(java.util.Map)});
 * {@link AttackOptions#NONE}, what the constructor without them gives, stands for the attack's defaults:
 * {@code cw.defaults(1.0).withOptions(cw.options(Map.of("kappa", "5")))}.
 */
public record AttackConfig(Norm norm, double eps, int steps, double stepSize, int restarts, boolean randomStart, Target target,
                           long seed, AttackOptions options) {
    public static final long DEFAULT_SEED = 0L;
    /** The most steps (iterations; Square's query budget): 10,000, Square's budget in its paper. */
    public static final int MAX_STEPS = 10_000;

    /** The shared options with the attack's own at their defaults ({@link AttackOptions#NONE}). */
    public AttackConfig(Norm norm, double eps, int steps, double stepSize, int restarts, boolean randomStart, Target target, long seed) {
        this(norm, eps, steps, stepSize, restarts, randomStart, target, seed, AttackOptions.NONE);
    }

    /** {@code options} {@code null} is {@link AttackOptions#NONE}: the attack's defaults. */
    public AttackConfig {
        options = options == null ? AttackOptions.NONE : options;
        if (norm == null) {
            throw new InvalidOptionException("norm", "norm is required");
        }
        if (target == null) {
            throw new InvalidOptionException("target", "target is required (Target.UNTARGETED for none)");
        }
        if (!(eps >= 0) || (norm != Norm.L2 && eps > 1) || !Double.isFinite(eps)) {
            throw new InvalidOptionException("eps", "eps must be in [0,1] (pixel units), got " + eps);
        }
        if (steps < 1) {
            throw new InvalidOptionException("steps", "steps must be at least 1, got " + steps);
        }
        if (steps > MAX_STEPS) {
            throw new InvalidOptionException("steps", "steps must be at most " + MAX_STEPS + ", got " + steps);
        }
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new InvalidOptionException("stepSize", "stepSize must be positive, got " + stepSize);
        }
        if (restarts < 1) {
            throw new InvalidOptionException("restarts", "restarts must be at least 1, got " + restarts);
        }
    }

    /** The same options at another budget, with the step size scaled along ({@code stepSize/eps} kept). */
    public AttackConfig withEps(double e) {
        double ratio = eps > 0 ? stepSize / eps : 0;
        return new AttackConfig(norm, e, steps, e > 0 && ratio > 0 ? ratio * e : stepSize, restarts, randomStart, target, seed, options);
    }

    /** The same options in another norm (the budget and step size as they are). */
    public AttackConfig withNorm(Norm n) {
        return new AttackConfig(n, eps, steps, stepSize, restarts, randomStart, target, seed, options);
    }

    /** The same options with another number of steps (the step size as it is). */
    public AttackConfig withSteps(int s) {
        return new AttackConfig(norm, eps, s, stepSize, restarts, randomStart, target, seed, options);
    }

    public AttackConfig withStepSize(double s) {
        return new AttackConfig(norm, eps, steps, s, restarts, randomStart, target, seed, options);
    }

    public AttackConfig withRestarts(int r) {
        return new AttackConfig(norm, eps, steps, stepSize, r, randomStart, target, seed, options);
    }

    public AttackConfig withRandomStart(boolean r) {
        return new AttackConfig(norm, eps, steps, stepSize, restarts, r, target, seed, options);
    }

    public AttackConfig withTarget(Target t) {
        return new AttackConfig(norm, eps, steps, stepSize, restarts, randomStart, t, seed, options);
    }

    public AttackConfig withSeed(long s) {
        return new AttackConfig(norm, eps, steps, stepSize, restarts, randomStart, target, s, options);
    }

    /** The same shared options with the attack's own {@code o} ({@link AttackOptions#NONE}: its defaults). */
    public AttackConfig withOptions(AttackOptions o) {
        return new AttackConfig(norm, eps, steps, stepSize, restarts, randomStart, target, seed, o);
    }
}
