package dev.fovea.train;

import dev.fovea.method.OptionMessage;

import java.util.List;

/** Training diverged: the loss is no longer finite. The message suggests a lower learning rate, the option {@code lr}. */
public class DivergedException extends ArithmeticException implements OptionMessage {
    public DivergedException(String message) {
        super(message);
    }

    @Override
    public String option() {
        return null;
    }

    @Override
    public List<String> mentioned() {
        return List.of("lr");
    }
}
