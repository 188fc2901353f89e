package dev.fovea.kernels;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The float rate this machine reaches on fused multiply-adds, measured: every worker thread of {@link Parallel}
 * runs a loop of independent FMA chains, counted 2 flops per lane per FMA. A nominal peak (cores x FMA units x
 * lanes x 2 x clock) overstates it where wide FMAs are split (AMD Zen 4 runs a 512-bit FMA as two 256-bit halves)
 * or the clock drops under vector load; this is the ceiling the GEMM kernel can really be held against.
 *
 * <p>The loop uses the same arithmetic as the matrix-multiply micro-kernel: the Vector API at the preferred
 * species when {@link Gemm#vectorized()}, else scalar {@link Math#fma}.
 */
public final class Peak {
    /** Steps per burst between clock reads: 12 chains x 4096 steps, some tens of microseconds. */
    private static final int STEPS = 4096;
    /** Independent accumulators of the scalar loop. */
    private static final int SCALAR_CHAINS = 12;
    /** Timed parts of a measurement. */
    private static final int PARTS = 5;
    private static final float M = 0.999f;
    private static final float C = 0.001f;
    /** Where each burst's result goes, so that the JIT cannot drop the loop. */
    @SuppressWarnings("unused")
    private static volatile float sink;

    private Peak() {
    }

    /** Float lanes of one fused multiply-add in the loop: the vector length, or 1 for the scalar loop. */
    public static int lanes() {
        return Kernels.VECTOR ? VectorPeak.LANES : 1;
    }

    /**
     * GFLOP/s of the FMA loop on all {@link Parallel#threads()} worker threads: each first runs it for half of
     * {@code seconds} (so that the JIT compiles it), then {@code seconds} are timed in {@value #PARTS} parts; the
     * best part's flops over its wall time, since other load on the machine or a late compilation can only slow a
     * part down.
     *
     * @throws IllegalArgumentException unless {@code seconds} is positive and finite
     */
    public static double measureGflops(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be positive and finite, got " + seconds);
        }
        everyThread((long) (seconds / 2 * 1e9));
        double best = 0;
        for (int p = 0; p < PARTS; p++) {
            long t0 = System.nanoTime();
            long flops = everyThread((long) (seconds / PARTS * 1e9));
            best = Math.max(best, (double) flops / (System.nanoTime() - t0));
        }
        return best;
    }

    /** Floats per array of the bandwidth loop: 3 arrays of 64 MiB, beyond any cache. */
    private static final int STREAM_FLOATS = 1 << 24;

    /**
     * GB/s of main memory on all {@link Parallel#threads()} worker threads, as STREAM's triad measures it:
     * {@code a[i] = b[i] + s * c[i]} over arrays far larger than the caches, each worker on its own share, 12
     * bytes a float counted (two reads, one write). Timed as {@link #measureGflops}: half of {@code seconds} warming
     * up, then the best of {@value #PARTS} parts.
     *
     * @throws IllegalArgumentException unless {@code seconds} is positive and finite
     */
    public static double measureBandwidth(double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be positive and finite, got " + seconds);
        }
        float[] a = new float[STREAM_FLOATS];
        float[] b = new float[STREAM_FLOATS];
        float[] c = new float[STREAM_FLOATS];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
        triads(a, b, c, (long) (seconds / 2 * 1e9));
        double best = 0;
        for (int p = 0; p < PARTS; p++) {
            long t0 = System.nanoTime();
            long passes = triads(a, b, c, (long) (seconds / PARTS * 1e9));
            best = Math.max(best, 12.0 * STREAM_FLOATS * passes / (System.nanoTime() - t0));
        }
        sink = a[STREAM_FLOATS / 2];
        return best;
    }

    /** Whole triads over the arrays, each worker on its share, until {@code nanos} have passed (at least one); how many. */
    private static long triads(float[] a, float[] b, float[] c, long nanos) {
        long end = System.nanoTime() + nanos;
        long passes = 0;
        int threads = Parallel.threads();
        int share = (STREAM_FLOATS + threads - 1) / threads;
        do {
            Parallel.forRange(threads, 1, (from, to) -> {
                for (int t = from; t < to; t++) {
                    int lo = t * share;
                    int hi = Math.min(STREAM_FLOATS, lo + share);
                    for (int i = lo; i < hi; i++) {
                        a[i] = b[i] + 0.5f * c[i];
                    }
                }
            });
            passes++;
        } while (System.nanoTime() < end);
        return passes;
    }

    /** Runs the loop for {@code nanos} (at least one burst) as one task per worker thread; the flops done. */
    private static long everyThread(long nanos) {
        AtomicLong flops = new AtomicLong();
        Parallel.forRange(Parallel.threads(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                flops.addAndGet(loop(nanos));
            }
        });
        return flops.get();
    }

    private static long loop(long nanos) {
        boolean vector = Kernels.VECTOR;
        long perBurst = 2L * STEPS * (vector ? VectorPeak.CHAINS * (long) VectorPeak.LANES : SCALAR_CHAINS);
        long end = System.nanoTime() + nanos;
        long flops = 0;
        float s = 0;
        do {
            s += vector ? VectorPeak.burst(STEPS, M, C) : scalarBurst(STEPS, M, C);
            flops += perBurst;
        } while (System.nanoTime() < end);
        sink = s;
        return flops;
    }

    /** As {@link VectorPeak#burst}, on single floats. */
    private static float scalarBurst(int steps, float m, float c) {
        float a0 = 0.00f, a1 = 0.01f, a2 = 0.02f, a3 = 0.03f, a4 = 0.04f, a5 = 0.05f;
        float a6 = 0.06f, a7 = 0.07f, a8 = 0.08f, a9 = 0.09f, a10 = 0.10f, a11 = 0.11f;
        for (int i = 0; i < steps; i++) {
            a0 = Math.fma(a0, m, c);
            a1 = Math.fma(a1, m, c);
            a2 = Math.fma(a2, m, c);
            a3 = Math.fma(a3, m, c);
            a4 = Math.fma(a4, m, c);
            a5 = Math.fma(a5, m, c);
            a6 = Math.fma(a6, m, c);
            a7 = Math.fma(a7, m, c);
            a8 = Math.fma(a8, m, c);
            a9 = Math.fma(a9, m, c);
            a10 = Math.fma(a10, m, c);
            a11 = Math.fma(a11, m, c);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }
}
