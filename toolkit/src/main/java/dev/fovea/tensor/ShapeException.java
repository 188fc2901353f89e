package dev.fovea.tensor;

/** A caller passed a tensor whose shape does not fit; the message names where, what was expected and what came. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
