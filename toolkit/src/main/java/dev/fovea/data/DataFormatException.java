package dev.fovea.data;

import java.io.IOException;

/** A data or image file that cannot be used: the message names the file and what is wrong with it. */
public class DataFormatException extends IOException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
