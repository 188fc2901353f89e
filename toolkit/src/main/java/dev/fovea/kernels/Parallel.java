package dev.fovea.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits loops across a fixed pool of worker threads. The thread count comes from the system property
 * {@code fovea.threads}, else the environment variable {@code FOVEA_THREADS}, else the number of cores.
 * Work is always cut into the same pieces whatever the thread count, so results never depend on it.
 */
public final class Parallel {
    /** A loop body over the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    public static int threads() {
        return pool().getParallelism();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    int threads = configuredThreads();
                    java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
                    // never more workers than threads: a join that waits must not bring in a spare thread (more
                    // threads than cores, and each new one setting up its buffers); it waits, or runs work itself
                    p = new ForkJoinPool(threads, pool -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setDaemon(true);
                        t.setName("fovea-worker-" + made.getAndIncrement());
                        return t;
                    }, null, false, 0, threads, 1, pool -> true, 60, java.util.concurrent.TimeUnit.SECONDS);
                    pool = p;
                }
            }
        }
        return p;
    }

    private static int configuredThreads() {
        String s = System.getProperty("fovea.threads");
        if (s == null || s.isBlank()) {
            s = System.getenv("FOVEA_THREADS");
        }
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into pieces of {@code grain} iterations (the last may be shorter).
     * Runs inline when there is one piece or when called from a worker thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int g = Math.max(1, grain);
        int pieces = (n + g - 1) / g;
        if (pieces == 1 || threads() == 1 || onWorker()) {
            for (int i = 0; i < pieces; i++) {
                body.run(i * g, Math.min(n, (i + 1) * g));
            }
            return;
        }
        pool().invoke(new Split(body, 0, pieces, g, n));
    }

    /** Whether the calling thread is one of the workers (where a nested loop runs inline). */
    static boolean onWorker() {
        return Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == pool;
    }

    /** Chooses a grain that cuts {@code n} into about {@code 4 x cores} pieces of at least {@code min}. */
    public static int grain(int n, int min) {
        int pieces = Math.max(1, 4 * Runtime.getRuntime().availableProcessors());
        return Math.max(min, (n + pieces - 1) / pieces);
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeBody body;
        private final int lo;
        private final int hi;
        private final int grain;
        private final int n;

        Split(RangeBody body, int lo, int hi, int grain, int n) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
            this.n = n;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run(lo * grain, Math.min(n, (lo + 1) * grain));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, lo, mid, grain, n), new Split(body, mid, hi, grain, n));
        }
    }
}
