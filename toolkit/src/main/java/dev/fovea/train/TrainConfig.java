package dev.fovea.train;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;

/**
 * Training options, validated here. Defaults ({@link #defaults()}): 10 epochs, batch 64, Adam at 1e-3 with a
 * cosine schedule, no weight decay, seed 42. Invalid values throw {@link InvalidOptionException} naming the field;
 * NaN fails every range check (the checks are written so that it cannot pass them).
 */
public record TrainConfig(int epochs, int batchSize, float lr, Optimizer.Kind optimizer, float momentum, boolean nesterov,
                          float weightDecay, Schedule schedule, int stepEpochs, float gamma, long seed) {
    public static final long DEFAULT_SEED = 42L;

    public TrainConfig {
        if (epochs < 1) {
            throw new InvalidOptionException("epochs", "epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new InvalidOptionException("lr", "lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidOptionException("momentum", "momentum must be in [0,1), got " + momentum);
        }
        if (nesterov && (optimizer != Optimizer.Kind.SGD || momentum == 0)) {
            throw new InvalidOptionException("nesterov", "nesterov needs optimizer sgd with a positive momentum", "optimizer", "momentum");
        }
        if (!(weightDecay >= 0)) {
            throw new InvalidOptionException("weightDecay", "weightDecay must be >= 0, got " + weightDecay);
        }
        if (!Float.isFinite(weightDecay)) {
            throw new InvalidOptionException("weightDecay", "weightDecay must be finite, got " + weightDecay);
        }
        if (stepEpochs < 1 || !(gamma > 0)) {
            throw new InvalidOptionException("stepEpochs", "stepEpochs must be >= 1 and gamma > 0", "gamma");
        }
        if (!Float.isFinite(gamma)) {
            throw new InvalidOptionException("gamma", "gamma must be finite, got " + gamma);
        }
    }

    public static TrainConfig defaults() {
        return new TrainConfig(10, 64, 1e-3f, Optimizer.Kind.ADAM, 0.9f, false, 0f, Schedule.COSINE, 1, 0.1f, DEFAULT_SEED);
    }
}
