package dev.fovea.image.corrupt;

/**
 * Affine warps of one image as scikit-image defines them ({@code skimage.transform.warp(image, inverse_map,
 * order=1, mode='constant', cval=0)}, the resampling of MNIST-C's affine corruptions): pixel centres sit at whole
 * coordinates, output pixel {@code (row r, column c)} takes the input at {@code x = m[0] c + m[1] r + m[2]},
 * {@code y = m[3] c + m[4] r + m[5]} (the inverse map, in {@code (x, y) = (column, row)} order), blending the four
 * pixels around it bilinearly, where any of the four that lies outside the image counts as the fill 0 (so the
 * border fades to black over one pixel). A sample on whole coordinates copies its pixel exactly, so a warp by whole
 * pixels, or a rotation by a multiple of 90 degrees whose coefficients are exactly 0 and 1, is a permutation with
 * zeros filled in. Computed in double, as scikit-image computes it for {@code float64} images.
 */
final class Warp {
    private Warp() {
    }

    /** Writes into {@code dst} each of the {@code c} planes of {@code src} ({@code h x w}) warped by inverse map {@code m}. */
    static void inverse(float[] src, float[] dst, int c, int h, int w, double[] m) {
        int plane = h * w;
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                double x = m[0] * col + m[1] * r + m[2];
                double y = m[3] * col + m[4] * r + m[5];
                int x0 = (int) Math.floor(x);
                int y0 = (int) Math.floor(y);
                int x1 = (int) Math.ceil(x);
                int y1 = (int) Math.ceil(y);
                double dx = x - x0;
                double dy = y - y0;
                for (int ch = 0; ch < c; ch++) {
                    int o = ch * plane;
                    double top = (1 - dx) * pixel(src, o, h, w, y0, x0) + dx * pixel(src, o, h, w, y0, x1);
                    double bottom = (1 - dx) * pixel(src, o, h, w, y1, x0) + dx * pixel(src, o, h, w, y1, x1);
                    dst[o + r * w + col] = (float) ((1 - dy) * top + dy * bottom);
                }
            }
        }
    }

    private static double pixel(float[] src, int offset, int h, int w, int r, int c) {
        return r < 0 || r >= h || c < 0 || c >= w ? 0.0 : src[offset + r * w + c];
    }

    /**
     * The inverse map with linear part {@code [[a, b], [d, e]]} (acting on {@code (x, y)}) that keeps the image's
     * centre {@code ((w - 1) / 2, (h - 1) / 2)} in place, as MNIST-C builds its maps (there for 28x28: 13.5).
     */
    static double[] aboutCentre(double a, double b, double d, double e, int h, int w) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        return new double[] {a, b, cx - a * cx - b * cy, d, e, cy - d * cx - e * cy};
    }
}
