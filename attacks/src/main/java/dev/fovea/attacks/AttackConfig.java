package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;

/**
 * An attack's options, validated here. {@code eps} is the budget in pixel units of {@code [0,1]} images, measured
 * in {@code norm} (for L0, the fraction of input values that may change); {@code stepSize} is per step in the same norm; {@code restarts} counts the runs from fresh
 * random starts, of which each sample keeps its worst case. A bad value is an {@link InvalidOptionException} naming the
 * component.
 */
public record AttackConfig(Norm norm, double eps, int steps, double stepSize, int restarts, boolean randomStart, Target target,
                           long seed) {
    public static final long DEFAULT_SEED = 0L;

    public AttackConfig {
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
        return new AttackConfig(norm, e, steps, e > 0 && ratio > 0 ? ratio * e : stepSize, restarts, randomStart, target, seed);
    }
}
