package dev.fovea.train;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Invalid training options name the field, by its library name, at the start of the message. */
class TrainConfigTest {
    private static void invalid(String option, String message, List<String> mentioned, Executable e) {
        InvalidOptionException x = assertThrows(InvalidOptionException.class, e);
        assertEquals(option, x.option());
        assertEquals(message, x.getMessage());
        assertEquals(mentioned, x.mentioned());
    }

    @Test
    void eachCheckNamesItsOption() {
        TrainConfig d = TrainConfig.defaults();
        invalid("epochs", "epochs must be at least 1, got 0", List.of(), () -> new TrainConfig(0, 64, 1e-3f, Optimizer.Kind.ADAM, 0.9f,
                false, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("batchSize", "batchSize must be at least 1, got 0", List.of(), () -> new TrainConfig(1, 0, 1e-3f, Optimizer.Kind.ADAM, 0.9f,
                false, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("lr", "lr must be a positive number, got NaN", List.of(), () -> new TrainConfig(1, 8, Float.NaN, Optimizer.Kind.ADAM, 0.9f,
                false, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("momentum", "momentum must be in [0,1), got 1.0", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.SGD, 1f,
                false, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("nesterov", "nesterov needs optimizer sgd with a positive momentum", List.of("optimizer", "momentum"),
                () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM, 0.9f, true, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("weightDecay", "weightDecay must be >= 0, got -1.0", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM, 0.9f,
                false, -1f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("stepEpochs", "stepEpochs must be >= 1 and gamma > 0", List.of("gamma"), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM,
                0.9f, false, 0f, Schedule.STEP, 1, 0f, d.seed()));
    }

    @Test
    void notANumberFailsEveryRangeCheck() {
        TrainConfig d = TrainConfig.defaults();
        invalid("momentum", "momentum must be in [0,1), got NaN", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.SGD, Float.NaN,
                false, 0f, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("weightDecay", "weightDecay must be >= 0, got NaN", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM, 0.9f,
                false, Float.NaN, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("weightDecay", "weightDecay must be finite, got Infinity", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM,
                0.9f, false, Float.POSITIVE_INFINITY, Schedule.COSINE, 1, 0.1f, d.seed()));
        invalid("stepEpochs", "stepEpochs must be >= 1 and gamma > 0", List.of("gamma"), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM,
                0.9f, false, 0f, Schedule.STEP, 1, Float.NaN, d.seed()));
        invalid("gamma", "gamma must be finite, got Infinity", List.of(), () -> new TrainConfig(1, 8, 1e-3f, Optimizer.Kind.ADAM, 0.9f,
                false, 0f, Schedule.STEP, 1, Float.POSITIVE_INFINITY, d.seed()));
    }
}
