package dev.fovea.method;

import java.util.List;

/**
 * A caller's option value that a method cannot take. {@link #option()} is the option's library name
 * ({@code eps}, {@code batchSize}); the message starts with that name ({@code "eps must be in [0,1], got 2"}),
 * so that a front end can put the spelling its user typed in its place. Other options the message names are
 * listed in {@link #mentioned()} ({@code "nesterov needs optimizer sgd with a positive momentum"} mentions
 * {@code optimizer} and {@code momentum}).
 */
public class InvalidOptionException extends IllegalArgumentException implements OptionMessage {
    private final String option;
    private final List<String> mentioned;

    public InvalidOptionException(String option, String message) {
        this(option, message, new String[0]);
    }

    /** {@code mentioned}: the other options the message names after {@code option}, in order. */
    public InvalidOptionException(String option, String message, String... mentioned) {
        super(message);
        this.option = option;
        this.mentioned = List.of(mentioned);
    }

    @Override
    public String option() {
        return option;
    }

    @Override
    public List<String> mentioned() {
        return mentioned;
    }
}
