package dev.fovea.optim;

/**
 * Learning rate over training. {@code CONSTANT}; {@code STEP}: multiplied by {@code gamma} every
 * {@code stepEpochs} epochs; {@code COSINE}: from the base rate to zero along half a cosine over all steps
 * (Loshchilov & Hutter 2017, without restarts).
 */
public enum Schedule {
    CONSTANT, STEP, COSINE;

    /** Learning rate at global step {@code step} (0-based) of {@code totalSteps}, with {@code stepsPerEpoch}. */
    public float rate(float base, long step, long totalSteps, long stepsPerEpoch, int stepEpochs, float gamma) {
        return switch (this) {
            case CONSTANT -> base;
            case STEP -> (float) (base * Math.pow(gamma, (double) (step / stepsPerEpoch / Math.max(1, stepEpochs))));
            case COSINE -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * step / Math.max(1, totalSteps))));
        };
    }
}
