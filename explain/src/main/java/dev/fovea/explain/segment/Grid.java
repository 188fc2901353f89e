package dev.fovea.explain.segment;

/**
 * A regular grid of square cells of {@code cell} pixels from the top-left corner, numbered in raster order; the
 * last row and column of cells are smaller when {@code cell} does not divide the side. The simplest superpixels:
 * independent of the image, so that a perturbation of the image never moves them.
 */
public final class Grid {
    private Grid() {
    }

    public static Segments segment(int h, int w, int cell) {
        if (cell < 1) {
            throw new IllegalArgumentException("grid: expected a cell of at least 1 pixel, got " + cell);
        }
        int cols = (w + cell - 1) / cell;
        int rows = (h + cell - 1) / cell;
        int[] out = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (y / cell) * cols + x / cell;
            }
        }
        return new Segments(out, rows * cols);
    }
}
