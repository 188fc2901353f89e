package dev.fovea.method;

/**
 * A caller's option value that a method cannot take. {@link #option()} is the option's library name
 * ({@code eps}, {@code batchSize}); the message starts with that name ({@code "eps must be in [0,1], got 2"}),
 * so that a front end can put the spelling its user typed in its place.
 */
public class InvalidOptionException extends IllegalArgumentException {
    private final String option;

    public InvalidOptionException(String option, String message) {
        super(message);
        this.option = option;
    }

    public String option() {
        return option;
    }
}
