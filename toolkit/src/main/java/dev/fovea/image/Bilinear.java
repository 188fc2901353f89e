package dev.fovea.image;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * Bilinear resizing with half-pixel centres, the same as PyTorch's
 * {@code F.interpolate(x, size, mode='bilinear', align_corners=False, antialias=False)} and OpenCV's
 * {@code INTER_LINEAR}: output pixel {@code j} samples the input at {@code s = (j + 0.5) * in / out - 0.5},
 * clamped below at 0, blending pixels {@code floor(s)} and {@code floor(s) + 1} (the last pixel repeated at the
 * border). There is no antialiasing filter, so a large downscale skips pixels (unlike PIL's {@code resize}); a 2x
 * downscale gives the mean of each 2x2 block, and a constant image stays constant. It upsamples maps (Grad-CAM's,
 * heat maps) as PyTorch does; image files are fitted to a model's input by {@link Resize} with {@link Resample}.
 */
public final class Bilinear {
    private Bilinear() {
    }

    /** Resizes a {@code [C,H,W]} or {@code [N,C,H,W]} tensor to height {@code outH} and width {@code outW}. */
    public static Tensor resize(Tensor x, int outH, int outW) {
        int rank = x.shape().rank();
        if (rank != 3 && rank != 4) {
            throw new ShapeException("bilinear resize: expected [C,H,W] or [N,C,H,W], got " + x.shape());
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("bilinear resize: expected a positive output size, got " + outH + "x" + outW);
        }
        int h = x.dim(rank - 2);
        int w = x.dim(rank - 1);
        int planes = x.shape().size() / Math.max(1, h * w);
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            resizePlane(x.data(), p * h * w, h, w, out, p * outH * outW, outH, outW);
        }
        int[] dims = x.shape().dims();
        dims[rank - 2] = outH;
        dims[rank - 1] = outW;
        return new Tensor(Shape.of(dims), out);
    }

    /** Resizes the {@code h x w} plane at {@code src[srcOff..]} into the {@code outH x outW} plane at {@code dst[dstOff..]}. */
    public static void resizePlane(float[] src, int srcOff, int h, int w, float[] dst, int dstOff, int outH, int outW) {
        if (h == outH && w == outW) {
            System.arraycopy(src, srcOff, dst, dstOff, h * w);
            return;
        }
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        taps(w, outW, x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        taps(h, outH, y0, y1, fy);
        for (int i = 0; i < outH; i++) {
            int r0 = srcOff + y0[i] * w;
            int r1 = srcOff + y1[i] * w;
            float b = fy[i];
            for (int j = 0; j < outW; j++) {
                float top = src[r0 + x0[j]] + fx[j] * (src[r0 + x1[j]] - src[r0 + x0[j]]);
                float bottom = src[r1 + x0[j]] + fx[j] * (src[r1 + x1[j]] - src[r1 + x0[j]]);
                dst[dstOff + i * outW + j] = top + b * (bottom - top);
            }
        }
    }

    /** For each output index: the two input indices and the weight of the second. */
    private static void taps(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int j = 0; j < out; j++) {
            double s = Math.max(0, (j + 0.5) * scale - 0.5);
            int lo = Math.min((int) s, in - 1);
            i0[j] = lo;
            i1[j] = Math.min(lo + 1, in - 1);
            frac[j] = (float) (s - lo);
        }
    }
}
