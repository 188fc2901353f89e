package dev.fovea.io;

import java.io.IOException;

/** A model file that cannot be used: the message names the file and what is wrong with it. */
public class ModelFormatException extends IOException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
