package dev.fovea.explain.segment;

/**
 * SLIC superpixels of Achanta et al., "SLIC Superpixels Compared to State-of-the-Art Superpixel Methods" (TPAMI
 * 2012), step for step as {@code skimage.segmentation.slic} (scikit-image 0.19) computes them for one 2-D image with
 * its defaults ({@code max_num_iter=10}, {@code sigma=0}, {@code spacing=1}, {@code enforce_connectivity=True},
 * {@code min_size_factor=0.5}, {@code max_size_factor=3}, {@code slic_zero=False}):
 * <ol>
 *   <li>the image is rescaled to {@code [0,1]} by its minimum and maximum over all channels; a 3-channel image is
 *       converted to CIE Lab (sRGB, D65, 2 degrees: {@link #lab}), any other channel count is clustered as it is
 *       (a grayscale image by its intensity alone);</li>
 *   <li>the cluster centres start on scikit-image's {@code regular_grid} of about {@code segments} points (a 28x28
 *       image and 100 segments give 9x9 centres at rows and columns 1, 4, ..., 25, step {@code S = 3});</li>
 *   <li>k-means for 10 iterations: each centre claims the pixels within {@code 2 S} of it (per axis) for which
 *       {@code D = ((dy^2 + dx^2) / S^2) + |c - c_k|^2 / m^2} is smallest (earlier centres win ties), {@code m} the
 *       {@code compactness}; the centres move to the mean position and colour of their pixels (the colours start
 *       at 0, so the first assignment is by position); a centre left without pixels drops out;</li>
 *   <li>connectivity: 4-connected components are relabelled in raster order by breadth-first search (at most
 *       {@code 3 A} pixels at a time, {@code A} = pixels per centre), and a component smaller than {@code 0.5 A}
 *       takes the label of the last labelled neighbour its search met.</li>
 * </ol>
 * Labels are 0-based (scikit-image's minus one), numbered in raster order of the components' first pixels.
 * Nothing is random: the "seeds" of SLIC are the grid's centres. Deviation: arithmetic is double precision (scikit-
 * image keeps a float32 image in float32); {@code fixtures/make_slic_golden.py} checks the labels against
 * scikit-image on float64 images.
 */
public final class Slic {
    /** scikit-image's {@code max_num_iter}. */
    public static final int ITERATIONS = 10;
    static final double MIN_SIZE_FACTOR = 0.5;
    static final double MAX_SIZE_FACTOR = 3;

    private Slic() {
    }

    /**
     * The superpixels of the image at {@code off} of {@code data}, laid out {@code [C,H,W]}, for about
     * {@code segments} (at least 1) clusters of {@code compactness} (positive).
     */
    public static Segments segment(float[] data, int off, int c, int h, int w, int segments, double compactness) {
        if (segments < 1 || !(compactness > 0) || !Double.isFinite(compactness)) {
            throw new IllegalArgumentException("slic: expected segments >= 1 and a finite compactness > 0, got " + segments + " and " + compactness);
        }
        int hw = h * w;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < c * hw; i++) {
            min = Math.min(min, data[off + i]);
            max = Math.max(max, data[off + i]);
        }
        double imax = max - min;
        double[][] img = new double[hw][c];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < hw; p++) {
                double v = data[off + ch * hw + p] - min;
                img[p][ch] = imax != 0 ? v / imax : v;
            }
        }
        if (c == 3) {
            for (int p = 0; p < hw; p++) {
                img[p] = lab(img[p][0], img[p][1], img[p][2]);
            }
        }
        double ratio = 1.0 / compactness;
        for (double[] px : img) {
            for (int ch = 0; ch < c; ch++) {
                px[ch] = px[ch] * ratio;
            }
        }
        int[][] g = regularGrid(h, w, segments);
        int k0 = 0;
        java.util.List<double[]> centres = new java.util.ArrayList<>();
        for (int y = g[0][0]; y < h; y += g[1][0]) {
            for (int x = g[0][1]; x < w; x += g[1][1]) {
                double[] s = new double[2 + c];
                s[0] = y;
                s[1] = x;
                centres.add(s);
                k0++;
            }
        }
        double step = Math.max(Math.max(1.0, g[1][0]), g[1][1]);
        int[][] win = regularGrid(h, w, k0);
        int[] nearest = kMeans(img, h, w, c, centres.toArray(new double[0][]), step, win[1][0], win[1][1]);
        double size = (double) hw / k0;
        return connect(nearest, h, w, (int) (MIN_SIZE_FACTOR * size), (int) (MAX_SIZE_FACTOR * size));
    }

    private static int[] kMeans(double[][] img, int h, int w, int c, double[][] seg, double step, int stepY, int stepX) {
        int n = seg.length;
        int[] nearest = new int[h * w];
        java.util.Arrays.fill(nearest, -1);
        double[] dist = new double[h * w];
        int[] count = new int[n];
        boolean[] gone = new boolean[n];
        double spatial = 1.0 / (step * step);
        for (int it = 0; it < ITERATIONS; it++) {
            boolean change = false;
            java.util.Arrays.fill(dist, Double.MAX_VALUE);
            for (int k = 0; k < n; k++) {
                if (gone[k]) {
                    continue;
                }
                double cy = seg[k][0];
                double cx = seg[k][1];
                int y0 = (int) Math.max(cy - 2 * stepY, 0);
                int y1 = (int) Math.min(cy + 2 * stepY + 1, h);
                int x0 = (int) Math.max(cx - 2 * stepX, 0);
                int x1 = (int) Math.min(cx + 2 * stepX + 1, w);
                for (int y = y0; y < y1; y++) {
                    double dy = cy - y;
                    dy *= dy;
                    for (int x = x0; x < x1; x++) {
                        double dx = cx - x;
                        dx *= dx;
                        double d = (0.0 + dy + dx) * spatial;
                        double colour = 0;
                        double[] px = img[y * w + x];
                        for (int ch = 0; ch < c; ch++) {
                            double t = px[ch] - seg[k][2 + ch];
                            colour += t * t;
                        }
                        d += colour;
                        if (dist[y * w + x] > d) {
                            nearest[y * w + x] = k;
                            dist[y * w + x] = d;
                            change = true;
                        }
                    }
                }
            }
            if (!change) {
                break;
            }
            java.util.Arrays.fill(count, 0);
            for (double[] s : seg) {
                java.util.Arrays.fill(s, 0);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int k = nearest[y * w + x];
                    count[k]++;
                    seg[k][0] += y;
                    seg[k][1] += x;
                    for (int ch = 0; ch < c; ch++) {
                        seg[k][2 + ch] += img[y * w + x][ch];
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                gone[k] = count[k] == 0;
                for (int f = 0; f < 2 + c; f++) {
                    seg[k][f] /= count[k];
                }
            }
        }
        return nearest;
    }

    /** scikit-image's {@code _enforce_label_connectivity_cython} on one plane, labels from 0. */
    private static Segments connect(int[] seg, int h, int w, int minSize, int maxSize) {
        int[] out = new int[h * w];
        java.util.Arrays.fill(out, -1);
        int[] list = new int[Math.max(1, maxSize)];
        int label = 0;
        int[] dx = {1, -1, 0, 0};
        int[] dy = {0, 0, 1, -1};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (out[y * w + x] >= 0) {
                    continue;
                }
                int adjacent = label;
                int own = seg[y * w + x];
                out[y * w + x] = label;
                int size = 1;
                int visited = 0;
                list[0] = y * w + x;
                while (visited < size && size < maxSize) {
                    int py = list[visited] / w;
                    int px = list[visited] % w;
                    for (int i = 0; i < 4; i++) {
                        int yy = py + dy[i];
                        int xx = px + dx[i];
                        if (xx < 0 || xx >= w || yy < 0 || yy >= h) {
                            continue;
                        }
                        int q = yy * w + xx;
                        if (seg[q] == own && out[q] == -1) {
                            out[q] = label;
                            list[size++] = q;
                            if (size >= maxSize) {
                                break;
                            }
                        } else if (out[q] >= 0 && out[q] != label) {
                            adjacent = out[q];
                        }
                    }
                    visited++;
                }
                if (size < minSize) {
                    for (int i = 0; i < size; i++) {
                        out[list[i]] = adjacent;
                    }
                } else {
                    label++;
                }
            }
        }
        int count = 0;
        for (int v : out) {
            count = Math.max(count, v + 1);
        }
        return new Segments(out, count);
    }

    /**
     * scikit-image's {@code regular_grid((1, h, w), n)} for the two image axes: {@code {{startY, startX}, {stepY,
     * stepX}}}, a step of 1 where the grid takes every row or column.
     */
    static int[][] regularGrid(int h, int w, int n) {
        long[] shape = {1, h, w};
        double space = (double) h * w;
        if (space <= n) {
            return new int[][] {{0, 0}, {1, 1}};
        }
        Integer[] order = {0, 1, 2};
        java.util.Arrays.sort(order, (a, b) -> Long.compare(shape[a], shape[b]));
        double[] sorted = new double[3];
        for (int i = 0; i < 3; i++) {
            sorted[i] = shape[order[i]];
        }
        double[] steps = new double[3];
        java.util.Arrays.fill(steps, Math.pow(space / n, 1.0 / 3));
        boolean below = false;
        for (int i = 0; i < 3; i++) {
            below |= sorted[i] < steps[i];
        }
        if (below) {
            for (int dim = 0; dim < 3; dim++) {
                steps[dim] = sorted[dim];
                double rest = 1;
                for (int j = dim + 1; j < 3; j++) {
                    rest *= sorted[j];
                }
                if (dim < 2) {
                    double s = Math.pow(rest / n, 1.0 / (3 - dim - 1));
                    for (int j = dim + 1; j < 3; j++) {
                        steps[j] = s;
                    }
                }
                boolean all = true;
                for (int j = 0; j < 3; j++) {
                    all &= sorted[j] >= steps[j];
                }
                if (all) {
                    break;
                }
            }
        }
        int[] start = new int[3];
        int[] step = new int[3];
        for (int i = 0; i < 3; i++) {
            start[order[i]] = (int) Math.floor(steps[i] / 2);
            step[order[i]] = (int) Math.rint(steps[i]);
        }
        return new int[][] {{start[1], start[2]}, {step[1], step[2]}};
    }

    /**
     * CIE Lab of an sRGB colour in {@code [0,1]} as {@code skimage.color.rgb2lab}: gamma expanded
     * ({@code ((v + 0.055) / 1.055)^2.4} above 0.04045, else {@code v / 12.92}), to XYZ by scikit-image's matrix,
     * divided by the D65 white {@code (0.95047, 1, 1.08883)}, {@code f(t) = cbrt(t)} above 0.008856, else
     * {@code 7.787 t + 16/116}; {@code L = 116 f(Y) - 16}, {@code a = 500 (f(X) - f(Y))}, {@code b = 200 (f(Y) - f(Z))}.
     */
    public static double[] lab(double r, double g, double b) {
        double lr = linear(r);
        double lg = linear(g);
        double lb = linear(b);
        double x = (lr * 0.412453 + lg * 0.357580 + lb * 0.180423) / 0.95047;
        double y = (lr * 0.212671 + lg * 0.715160 + lb * 0.072169) / 1.0;
        double z = (lr * 0.019334 + lg * 0.119193 + lb * 0.950227) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
    }

    private static double linear(double v) {
        return v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116.0;
    }
}
