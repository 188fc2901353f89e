package dev.fovea.image.corrupt;

import java.util.ArrayDeque;

/**
 * The Canny edge detector as OpenCV's own {@code cv2.Canny(image, low, high)} defines it with its defaults
 * (aperture 3, L1 gradient), on an 8-bit plane: Sobel derivatives {@code dx}, {@code dy} with replicated borders
 * ({@link Filters#correlate}, {@link Filters.Border#NEAREST}); magnitude {@code |dx| + |dy|}, taken as 0 outside
 * the image; non-maximum suppression in one of four directions chosen with OpenCV's fixed-point
 * {@code tan(22.5)} test ({@code |dy| 2^15 < |dx| round(0.41421 2^15)} horizontal, above that plus
 * {@code |dx| 2^16} vertical, else the diagonal given by the signs), a pixel surviving when its magnitude exceeds
 * {@code low} and is greater than the neighbour before it and at least the one after (both strictly on a
 * diagonal); then hysteresis: survivors above {@code high} are edges, and so is every survivor 8-connected to an
 * edge through survivors.
 */
final class Canny {
    private static final int SHIFT = 15;
    private static final long TG22 = (long) (0.4142135623730950488016887242097 * (1 << SHIFT) + 0.5);

    private Canny() {
    }

    /** Edges of {@code plane} ({@code h x w}, integer values 0 to 255): 255 on edges, 0 elsewhere. */
    static float[] edges(float[] plane, int h, int w, int low, int high) {
        float[] sx = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
        float[] sy = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
        float[] dx = Filters.correlate(plane, 1, h, w, sx, 3, Filters.Border.NEAREST);
        float[] dy = Filters.correlate(plane, 1, h, w, sy, 3, Filters.Border.NEAREST);
        int[] mag = new int[(h + 2) * (w + 2)];
        int ws = w + 2;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                mag[(i + 1) * ws + j + 1] = Math.abs((int) dx[i * w + j]) + Math.abs((int) dy[i * w + j]);
            }
        }
        // 0: survivor below high, 1: no edge, 2: edge
        byte[] map = new byte[h * w];
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int k = (i + 1) * ws + j + 1;
                int m = mag[k];
                map[i * w + j] = 1;
                if (m <= low) {
                    continue;
                }
                int xs = (int) dx[i * w + j];
                int ys = (int) dy[i * w + j];
                long x = Math.abs(xs);
                long y = (long) Math.abs(ys) << SHIFT;
                long tg22x = x * TG22;
                boolean keep;
                if (y < tg22x) {
                    keep = m > mag[k - 1] && m >= mag[k + 1];
                } else if (y > tg22x + (x << (SHIFT + 1))) {
                    keep = m > mag[k - ws] && m >= mag[k + ws];
                } else {
                    int s = (xs ^ ys) < 0 ? -1 : 1;
                    keep = m > mag[k - ws - s] && m > mag[k + ws + s];
                }
                if (keep) {
                    map[i * w + j] = 0;
                    if (m > high) {
                        map[i * w + j] = 2;
                        stack.push(i * w + j);
                    }
                }
            }
        }
        while (!stack.isEmpty()) {
            int p = stack.pop();
            int i = p / w;
            int j = p % w;
            for (int di = -1; di <= 1; di++) {
                for (int dj = -1; dj <= 1; dj++) {
                    int a = i + di;
                    int b = j + dj;
                    if (a >= 0 && a < h && b >= 0 && b < w && map[a * w + b] == 0) {
                        map[a * w + b] = 2;
                        stack.push(a * w + b);
                    }
                }
            }
        }
        float[] out = new float[h * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = map[i] == 2 ? 255f : 0f;
        }
        return out;
    }
}
