package dev.fovea.audit;

/**
 * How a run tells its caller how far it has got: it opens a {@link Task} per long loop, with a total in the loop's
 * own unit (images, runs, budgets), and steps it. The command line draws progress bars; {@link #NONE} ignores
 * everything. Implementations must tolerate tasks that end before their total.
 */
public interface ProgressListener {
    /** One loop of a run. */
    interface Task extends AutoCloseable {
        /** {@code n} more units done; {@code message} (may be null) says what is being done now. */
        void step(long n, String message);

        @Override
        void close();
    }

    /** Opens a loop of {@code total} units named {@code unit} ({@code img}, {@code run}). */
    Task start(String name, long total, String unit);

    /** A listener that shows nothing. */
    ProgressListener NONE = (name, total, unit) -> new Task() {
        @Override
        public void step(long n, String message) {
        }

        @Override
        public void close() {
        }
    };
}
