package dev.fovea.image.corrupt;

import dev.fovea.nn.Conv2d;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * Linear filters of image planes for the corruptions, run on the engine's convolution: each plane is padded
 * according to a {@link Border} and the planes go through one {@link Conv2d} (one input and one output channel,
 * stride 1, padding 0) as a batch of single-channel images {@code [count,1,H+K-1,W+K-1]}, so every blur, box filter
 * and edge filter of the package shares the engine's kernels. The products are single precision, summed tap by tap
 * in row-major kernel order with fused multiply-adds.
 *
 * <p>{@link #correlate} is cross-correlation as OpenCV's {@code filter2D} and SciPy's {@code correlate} define it:
 * {@code out[y][x] = sum_{u,v} k[u][v] * in[y+u-ay][x+v-ax]} with the anchor {@code (ay, ax)} (the centre for an
 * odd kernel, as both libraries place it). A separable filter is two passes, each with a {@code KxK} kernel whose
 * 1-D taps fill its centre column (rows, SciPy's axis 0) or centre row (columns, axis 1); the other taps are zero
 * and add exactly nothing. A kernel of one tap {@code 1} returns every plane exactly ({@code fma(1, x, 0) = x}).
 */
final class Filters {
    /** How a filter reads pixels outside the plane (the names of SciPy's {@code ndimage} and OpenCV's borders). */
    enum Border {
        /** SciPy {@code 'reflect'}, OpenCV {@code BORDER_REFLECT}: mirrored with the edge repeated ({@code cba|abcd|dcb}). */
        REFLECT,
        /** SciPy {@code 'mirror'}, OpenCV {@code BORDER_REFLECT_101} (its default): mirrored about the edge ({@code dcb|abcd|cba}). */
        MIRROR,
        /** SciPy {@code 'nearest'}, OpenCV {@code BORDER_REPLICATE}, ImageMagick's edge virtual pixels ({@code aaa|abcd|ddd}). */
        NEAREST,
        /** SciPy {@code 'constant'} with {@code cval = 0}, OpenCV {@code BORDER_CONSTANT} ({@code 000|abcd|000}). */
        CONSTANT
    }

    private Filters() {
    }

    /** The index in {@code [0, n)} that position {@code i} reads under {@code border}, or -1 for a constant zero. */
    static int source(int i, int n, Border border) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (border) {
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case CONSTANT:
                return -1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            default: {
                if (n == 1) {
                    return 0;
                }
                int period = 2 * n - 2;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - m;
            }
        }
    }

    /**
     * {@code count} planes of {@code h x w} ({@code planes}, plane after plane) correlated with the {@code k x k}
     * kernel (row-major) anchored at {@code (ay, ax)}; a new array of the same size.
     */
    static float[] correlate(float[] planes, int count, int h, int w, float[] kernel, int k, int ay, int ax, Border border) {
        if (k < 1 || kernel.length != k * k || ay < 0 || ay >= k || ax < 0 || ax >= k || planes.length < count * h * w) {
            throw new IllegalArgumentException("filters: expected a " + k + "x" + k + " kernel with its anchor inside and "
                    + count + " planes of " + h + "x" + w + ", got " + kernel.length + " taps, anchor (" + ay + "," + ax
                    + ") and " + planes.length + " values");
        }
        int hp = h + k - 1;
        int wp = w + k - 1;
        int[] rows = new int[hp];
        int[] cols = new int[wp];
        for (int i = 0; i < hp; i++) {
            rows[i] = source(i - ay, h, border);
        }
        for (int j = 0; j < wp; j++) {
            cols[j] = source(j - ax, w, border);
        }
        float[] padded = new float[count * hp * wp];
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < hp; i++) {
                int dst = (p * hp + i) * wp;
                if (rows[i] < 0) {
                    continue;
                }
                int src = (p * h + rows[i]) * w;
                System.arraycopy(planes, src, padded, dst + ax, w);
                for (int j = 0; j < ax; j++) {
                    padded[dst + j] = cols[j] < 0 ? 0f : planes[src + cols[j]];
                }
                for (int j = ax + w; j < wp; j++) {
                    padded[dst + j] = cols[j] < 0 ? 0f : planes[src + cols[j]];
                }
            }
        }
        Conv2d conv = new Conv2d(1, 1, k, 1, 0, false);
        System.arraycopy(kernel, 0, conv.weight().value().data(), 0, k * k);
        return conv.forward(new Tensor(Shape.of(count, 1, hp, wp), padded), false).data();
    }

    /** As {@link #correlate(float[], int, int, int, float[], int, int, int, Border)} anchored at the centre {@code (k/2, k/2)}. */
    static float[] correlate(float[] planes, int count, int h, int w, float[] kernel, int k, Border border) {
        return correlate(planes, count, h, w, kernel, k, k / 2, k / 2, border);
    }

    /**
     * A separable filter: {@code rowTaps} along the rows (axis 0) first, then {@code colTaps} along the columns
     * (axis 1), each odd-sized and centred, as SciPy applies a filter axis by axis.
     */
    static float[] separable(float[] planes, int count, int h, int w, double[] rowTaps, double[] colTaps, Border border) {
        float[] once = correlate(planes, count, h, w, line(rowTaps, true), rowTaps.length, border);
        return correlate(once, count, h, w, line(colTaps, false), colTaps.length, border);
    }

    /** A {@code KxK} kernel holding {@code taps} in its centre column ({@code vertical}) or centre row. */
    private static float[] line(double[] taps, boolean vertical) {
        int k = taps.length;
        if (k % 2 == 0) {
            throw new IllegalArgumentException("filters: expected an odd number of taps, got " + k);
        }
        float[] kernel = new float[k * k];
        for (int t = 0; t < k; t++) {
            kernel[vertical ? t * k + k / 2 : (k / 2) * k + t] = (float) taps[t];
        }
        return kernel;
    }

    /**
     * SciPy's 1-D gaussian ({@code scipy.ndimage.gaussian_filter1d}): radius {@code int(truncate * sigma + 0.5)},
     * taps {@code exp(-x^2 / (2 sigma^2))} over {@code x = -radius..radius}, normalised to sum 1. Sigma 0 gives the
     * one tap {@code 1} (SciPy skips an axis whose sigma is 0).
     */
    static double[] gaussianTaps(double sigma, double truncate) {
        if (!(sigma >= 0) || !(truncate > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("filters: expected a finite sigma >= 0 and truncate > 0, got sigma=" + sigma
                    + " truncate=" + truncate);
        }
        if (sigma == 0) {
            return new double[] {1};
        }
        int radius = (int) (truncate * sigma + 0.5);
        double[] taps = new double[2 * radius + 1];
        double sum = 0;
        for (int x = -radius; x <= radius; x++) {
            taps[x + radius] = Math.exp(-0.5 / (sigma * sigma) * x * x);
            sum += taps[x + radius];
        }
        for (int t = 0; t < taps.length; t++) {
            taps[t] /= sum;
        }
        return taps;
    }

    /**
     * scikit-image's {@code filters.gaussian} of each plane: SciPy's {@code gaussian_filter} with {@code truncate}
     * 4 along the rows, then the columns, reading outside the plane as {@code border} (scikit-image's default is
     * {@link Border#NEAREST}); no axis across planes (channels are filtered apart). Sigma 0 returns the planes
     * exactly.
     */
    static float[] gaussian(float[] planes, int count, int h, int w, double sigma, Border border) {
        double[] taps = gaussianTaps(sigma, 4.0);
        return separable(planes, count, h, w, taps, taps, border);
    }

    /**
     * OpenCV's {@code getGaussianKernel(ksize, sigma)} for {@code sigma > 0}: {@code exp(-(i - (ksize-1)/2)^2 /
     * (2 sigma^2))}, normalised to sum 1.
     */
    static double[] cvGaussianTaps(int ksize, double sigma) {
        if (ksize < 1 || ksize % 2 == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("filters: expected an odd size and sigma > 0, got ksize=" + ksize + " sigma=" + sigma);
        }
        double[] taps = new double[ksize];
        double sum = 0;
        double centre = (ksize - 1) / 2.0;
        for (int i = 0; i < ksize; i++) {
            double x = i - centre;
            taps[i] = Math.exp(-x * x / (2 * sigma * sigma));
            sum += taps[i];
        }
        for (int i = 0; i < ksize; i++) {
            taps[i] /= sum;
        }
        return taps;
    }

    /** OpenCV's {@code blur(src, (3, 3))}: the normalised 3x3 box filter, borders {@link Border#MIRROR} (its default). */
    static float[] box3(float[] planes, int count, int h, int w) {
        float[] kernel = new float[9];
        java.util.Arrays.fill(kernel, 1f / 9f);
        return correlate(planes, count, h, w, kernel, 3, Border.MIRROR);
    }
}
