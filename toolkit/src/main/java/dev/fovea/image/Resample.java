package dev.fovea.image;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * Antialiased bilinear resampling, as PIL's {@code Image.resize(size, BILINEAR)} (which torchvision's
 * {@code transforms.Resize} calls on PIL images) and PyTorch's
 * {@code F.interpolate(x, size, mode='bilinear', align_corners=False, antialias=True)} compute it: a separable
 * convolution, rows first, then columns, with the triangle filter {@code t(d) = max(0, 1 - |d|)} stretched by the
 * downscale factor, so that a downscale averages every input pixel it covers instead of skipping some
 * (as plain bilinear, {@link Bilinear}, does).
 *
 * <p>Along one axis of {@code in} samples resized to {@code out}: with {@code scale = in / out} and
 * {@code f = max(scale, 1)}, output sample {@code i} sits at {@code c = (i + 0.5) * scale} in input coordinates and
 * takes the input samples {@code x} from {@code max(trunc(c - f + 0.5), 0)} to {@code min(trunc(c + f + 0.5), in) - 1}
 * with weights {@code t((x + 0.5 - c) / f)}, divided by their sum (so a constant stays constant and the border
 * pixels are not darkened). Upscaling ({@code f = 1}) is plain bilinear with half-pixel centres and the border pixel
 * repeated, the same as {@link Bilinear}; a 2x downscale weighs each 4-pixel span {@code 1, 3, 3, 1}. An axis whose
 * size does not change is copied.
 *
 * <p>Deviation: PIL resizes 8-bit images in 8 bits (fixed-point weights, each pass rounded to {@code 0..255}); this
 * class keeps floats, so its result is within one 8-bit level of PIL's (and within float rounding of PyTorch's,
 * which works in floats too). {@code fixtures/make_resize_golden.py} writes the references the tests compare with.
 */
public final class Resample {
    private Resample() {
    }

    /** Resizes a {@code [C,H,W]} or {@code [N,C,H,W]} tensor to height {@code outH} and width {@code outW}. */
    public static Tensor resize(Tensor x, int outH, int outW) {
        int rank = x.shape().rank();
        if (rank != 3 && rank != 4) {
            throw new ShapeException("resample: expected [C,H,W] or [N,C,H,W], got " + x.shape());
        }
        return region(x, outH, outW, 0, 0, outH, outW);
    }

    /**
     * The {@code height x width} window at {@code (top, left)} of {@code x} resized to {@code fullH x fullW}: the same
     * values as resizing the whole image and cropping, without the whole image in memory (what center-crop needs
     * when one side of the resized image is much longer than the target).
     */
    static Tensor region(Tensor x, int fullH, int fullW, int top, int left, int height, int width) {
        int rank = x.shape().rank();
        if (fullH <= 0 || fullW <= 0 || height <= 0 || width <= 0 || top < 0 || left < 0 || top + height > fullH || left + width > fullW) {
            throw new IllegalArgumentException("resample: expected a positive size and a window inside it, got " + height + "x" + width
                    + " at (" + top + "," + left + ") of " + fullH + "x" + fullW);
        }
        int h = x.dim(rank - 2);
        int w = x.dim(rank - 1);
        int planes = x.shape().size() / Math.max(1, h * w);
        Taps rows = new Taps(h, fullH, top, height);
        Taps cols = new Taps(w, fullW, left, width);
        float[] src = x.data();
        float[] out = new float[planes * height * width];
        float[] across = new float[h * width];
        for (int p = 0; p < planes; p++) {
            int off = p * h * w;
            for (int y = 0; y < h; y++) {
                cols.apply(src, off + y * w, 1, across, y * width, 1);
            }
            int dst = p * height * width;
            for (int j = 0; j < width; j++) {
                rows.apply(across, j, width, out, dst + j, width);
            }
        }
        int[] dims = x.shape().dims();
        dims[rank - 2] = height;
        dims[rank - 1] = width;
        return new Tensor(Shape.of(dims), out);
    }

    /** The weights of one axis: for output sample {@code i} of the window, inputs {@code first[i] ..} weighed {@code weight[i][..]}. */
    private static final class Taps {
        final int[] first;
        final float[][] weight;
        final boolean identity;

        Taps(int in, int full, int start, int count) {
            identity = in == full && start == 0 && count == full;
            first = new int[count];
            weight = new float[count][];
            double scale = (double) in / full;
            double f = Math.max(scale, 1);
            for (int i = 0; i < count; i++) {
                double c = (start + i + 0.5) * scale;
                int lo = Math.max((int) (c - f + 0.5), 0);
                int hi = Math.min((int) (c + f + 0.5), in);
                double[] wt = new double[Math.max(hi - lo, 0)];
                double sum = 0;
                for (int k = 0; k < wt.length; k++) {
                    wt[k] = Math.max(0, 1 - Math.abs((lo + k + 0.5 - c) / f));
                    sum += wt[k];
                }
                float[] norm = new float[wt.length];
                for (int k = 0; k < wt.length; k++) {
                    norm[k] = (float) (sum > 0 ? wt[k] / sum : 0);
                }
                first[i] = lo;
                weight[i] = norm;
            }
        }

        /** {@code dst[d + i * dStep] = sum_k weight[i][k] * src[s + (first[i] + k) * sStep]} for every output sample {@code i}. */
        void apply(float[] src, int s, int sStep, float[] dst, int d, int dStep) {
            for (int i = 0; i < first.length; i++) {
                if (identity) {
                    dst[d + i * dStep] = src[s + i * sStep];
                    continue;
                }
                float[] wt = weight[i];
                int at = s + first[i] * sStep;
                double acc = 0;
                for (int k = 0; k < wt.length; k++) {
                    acc += wt[k] * src[at + k * sStep];
                }
                dst[d + i * dStep] = (float) acc;
            }
        }
    }
}
