package dev.fovea.method;

import java.util.List;

/**
 * A failure whose message names options by their library names ({@code batchSize}, {@code device}), so that a
 * front end can put the spelling its user typed in their place: the message starts with {@link #option()} when
 * that is not null, and names {@link #mentioned()} after it, each once, in that order.
 */
public interface OptionMessage {
    /** The option the message is about and starts with, or null. */
    String option();

    /** Other options the message names after the leading one, in the order it names them. */
    List<String> mentioned();

    String getMessage();
}
