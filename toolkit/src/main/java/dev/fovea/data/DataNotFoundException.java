package dev.fovea.data;

import java.io.IOException;

/** A data set, file or directory that is not there: the message names where it was looked for and how to get it. */
public class DataNotFoundException extends IOException {
    public DataNotFoundException(String message) {
        super(message);
    }
}
