package dev.fovea.audit.batch;

/**
 * A batch spec that cannot be run: malformed YAML or JSON, an unknown field, run type, method or option, a value
 * out of range, an axis that expands to nothing. The message names the file, the line and column, and the field
 * ({@code grid.yaml:12:13: runs[0].method: unknown attack 'pgdd' (known: fgsm, pgd, ...)}), so that a user finds
 * the place without reading a stack trace. A caller's mistake, hence an {@link IllegalArgumentException}.
 */
public final class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure {@code why} at {@code node}: its file, line and column, and its path in the spec. */
    public static SpecException at(SpecNode node, String why) {
        return new SpecException(node.where() + ": " + why);
    }
}
