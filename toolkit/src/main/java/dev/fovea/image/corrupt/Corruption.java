package dev.fovea.image.corrupt;

import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A common corruption or an augmentation: stateless, with its strength in a parameters record {@code P}.
 * {@link #apply(Tensor, int, long)} is the template every corruption goes through: it checks the images
 * ({@code [N,C,H,W]} with {@code C} 1 or 3, finite pixels in {@code [0,1]}) and the severity (1 to 5), looks the
 * severity up in the corruption's published table ({@link #parameters}), corrupts each image into a fresh tensor
 * (the input is never changed) and clips the result to {@code [0,1]}.
 *
 * <p>Random draws are reproducible whatever the thread count and the batch size: image {@code i} of a call draws
 * from its own generator, seeded from {@code seed}, the corruption's name, the severity and {@code first + i}
 * (callers that corrupt a data set in chunks pass the chunk's first index). Images are corrupted in parallel.
 *
 * <p>Subclasses document their parameters per severity (the published tables, with their source) in their Javadoc,
 * and {@link #parameters(int, int, int)} gives them for an image size; {@link #identity()} gives parameters at
 * which the corruption leaves every image exactly as it is.
 *
 * @param <P> the corruption's parameters: a record whose components {@link #format} writes as {@code name=value}
 */
public abstract class Corruption<P> {
    /** The registry's key, lower case with hyphens ({@code gaussian-noise}). */
    public abstract String name();

    /** The group it is reported in. */
    public abstract Family family();

    /** Whether it counts in the mean corruption error, in the extras' mean, or is an augmentation. */
    public abstract Suite suite();

    /** One line for listings: what it does and where its definition comes from. */
    public abstract String describe();

    /** Whether it only changes colours and so needs three channels (saturation, hue). */
    public boolean colourOnly() {
        return false;
    }

    /** Whether it draws random numbers (else the seed is ignored). */
    public boolean random() {
        return true;
    }

    /** Whether its severities differ (a flip is the same at every severity, and reports run it once). */
    public boolean graded() {
        return true;
    }

    /** Its parameters at {@code severity} (1 to 5) for images of {@code height x width} (see {@link Scale}). */
    public abstract P parameters(int severity, int height, int width);

    /** Parameters at which it returns every image unchanged. */
    public abstract P identity();

    /**
     * Corrupts one image: {@code src} holds {@code c x h x w} pixels in {@code [0,1]} (channel-major), which must not
     * change; the result goes into {@code dst}, of the same size (values outside {@code [0,1]} are clipped after).
     */
    protected abstract void corrupt(float[] src, float[] dst, int c, int h, int w, P p, RandomGenerator rng);

    /** Corrupts every image of {@code x} ({@code [N,C,H,W]}) at {@code severity}. */
    public final Tensor apply(Tensor x, int severity, long seed) {
        return apply(x, severity, seed, 0);
    }

    /** As {@link #apply(Tensor, int, long)}, for a chunk of a data set whose first image has index {@code first}. */
    public final Tensor apply(Tensor x, int severity, long seed, long first) {
        checkSeverity(severity);
        check(x);
        P p = parameters(severity, x.dim(2), x.dim(3));
        return run(x, p, mix(seed, severity), first);
    }

    /** Corrupts every image of {@code x} with parameters {@code p} (say, {@link #identity()} or a custom strength). */
    public final Tensor apply(Tensor x, P p, long seed, long first) {
        if (p == null) {
            throw new IllegalArgumentException(name() + ": expected parameters, got null");
        }
        check(x);
        return run(x, p, mix(seed, 0), first);
    }

    /** {@code name=value, ...} for the parameters at {@code severity} on images of {@code height x width}. */
    public final String describeParameters(int severity, int height, int width) {
        checkSeverity(severity);
        return format(parameters(severity, height, width));
    }

    /** The components of a parameters record as {@code name=value, ...} (arrays written out). */
    public static String format(Object p) {
        if (!(p instanceof Record r)) {
            return String.valueOf(p);
        }
        List<String> parts = new ArrayList<>();
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            parts.add(rc.getName() + "=" + text(v));
        }
        return String.join(", ", parts);
    }

    private static String text(Object v) {
        if (v instanceof double[] a) {
            List<String> s = new ArrayList<>();
            for (double d : a) {
                s.add(number(d));
            }
            return "[" + String.join(" ", s) + "]";
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.toString(a).replace(",", "");
        }
        if (v instanceof Double d) {
            return number(d);
        }
        return String.valueOf(v);
    }

    /** {@code d} with at most 12 significant digits, so that a table value computed as {@code 1 + 14 * 0.01} reads 1.14. */
    private static String number(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new java.math.BigDecimal(d).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
    }

    private void checkSeverity(int severity) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException(name() + ": expected a severity from 1 to 5, got " + severity);
        }
    }

    private void check(Tensor x) {
        if (x.shape().rank() != 4 || (x.dim(1) != 1 && x.dim(1) != 3) || x.dim(2) < 1 || x.dim(3) < 1) {
            throw new ShapeException(name() + ": expected images [N,1,H,W] or [N,3,H,W], got " + x.shape());
        }
        if (colourOnly() && x.dim(1) != 3) {
            throw new ShapeException(name() + ": expected colour images [N,3,H,W] (" + name()
                    + " changes colours only, and a grayscale image has none), got " + x.shape());
        }
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0f && d[i] <= 1f)) {
                throw new IllegalArgumentException(name() + ": expected pixels in [0,1], got " + d[i] + " at index " + i);
            }
        }
    }

    private long mix(long seed, int severity) {
        return splitmix(splitmix(seed ^ splitmix(name().hashCode())) + severity);
    }

    private Tensor run(Tensor x, P p, long seed, long first) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int size = c * h * w;
        float[] in = x.data();
        float[] out = new float[in.length];
        Parallel.forRange(n, 1, (from, to) -> {
            float[] src = new float[size];
            float[] dst = new float[size];
            for (int i = from; i < to; i++) {
                System.arraycopy(in, i * size, src, 0, size);
                RandomGenerator rng = new SplittableRandom(splitmix(seed + splitmix(first + i)));
                corrupt(src, dst, c, h, w, p, rng);
                for (int k = 0; k < size; k++) {
                    float v = dst[k];
                    if (Float.isNaN(v)) {
                        throw new IllegalStateException(name() + ": produced NaN at pixel " + k + " of image " + (first + i)
                                + " with " + format(p));
                    }
                    out[i * size + k] = v < 0f ? 0f : v > 1f ? 1f : v;
                }
            }
        });
        return new Tensor(x.shape(), out);
    }

    /** The SplitMix64 finaliser: a well-mixed 64-bit value from any. */
    static long splitmix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
