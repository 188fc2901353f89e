package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Spatter (extra of CIFAR-10-C and ImageNet-C): drops of water or splashes of mud, after the published generators'
 * {@code spatter}. Both branches start from a liquid layer: normal noise {@code N(mean, std)} per pixel, blurred by
 * scikit-image's gaussian of {@code sigma} ({@link Filters#gaussian}, borders {@code 'nearest'}), set to 0 below
 * {@code threshold}.
 *
 * <p>{@link Branch#LIQUID}: the layer as 8 bits ({@code astype(np.uint8)} of {@code 255 layer}: truncated, and
 * here saturated at 255 where numpy would wrap); its {@link Canny} edges (thresholds 50 and 150); the
 * {@link DistanceTransform} to the nearest edge, truncated at 20; a 3x3 box blur ({@code cv2.blur}, borders
 * reflect-101) truncated to 8 bits; {@link #equalizeHist}; {@code cv2.filter2D} with
 * {@code [[-2,-1,0],[-1,1,1],[0,1,2]]} saturated to 8 bits; the 3x3 box blur again, rounded to 8 bits as OpenCV
 * does for 8-bit images. The mask is the 8-bit layer times that map, divided by its maximum and multiplied by
 * {@code amount}; the image gets {@code mask * (175, 238, 238) / 255} added (pale turquoise, red first).
 *
 * <p>{@link Branch#MUD}: the mask is 1 where the layer exceeds the threshold, blurred by a gaussian of sigma
 * {@code amount} pixels, and set to 0 below 0.8; the image becomes {@code x (1 - mask) + mask (63, 42, 20) / 255}
 * (mud brown).
 *
 * <p>{@code (mean, std, sigma, threshold, amount, branch)} per severity 1 to 5: CIFAR-10-C
 * (0.62, 0.1, 0.7, 0.7, 0.5, liquid), (0.65, 0.1, 0.8, 0.7, 0.5, liquid), (0.65, 0.3, 1, 0.69, 0.5, liquid),
 * (0.65, 0.1, 0.7, 0.69, 0.6, mud), (0.65, 0.1, 0.5, 0.68, 0.6, mud); ImageNet-C
 * (0.65, 0.3, 4, 0.69, 0.6, liquid), (0.65, 0.3, 3, 0.68, 0.6, liquid), (0.65, 0.3, 2, 0.68, 0.5, liquid),
 * (0.65, 0.3, 1, 0.65, 1.5, mud), (0.67, 0.4, 1, 0.65, 1.5, mud). The sigmas (the layer's, and the mud's
 * {@code amount}) are scaled by the image's larger side over the table's ({@link Scale}); the liquid map's
 * fixed pixel steps (the truncation at 20, the 3x3 filters) are kept as published. Grayscale images get the gray
 * of the colour added ({@code 0.2989 r + 0.587 g + 0.114 b}, the {@code imagecorruptions} package's
 * {@code rgb2gray}). Identity: std and mean 0 and threshold 1 (no liquid); a layer with no liquid leaves the image
 * as it is (the generators would divide 0 by 0).
 */
public final class Spatter extends Corruption<Spatter.Params> {
    private static final double[][] SMALL = {
        {0.62, 0.1, 0.7, 0.7, 0.5, 0}, {0.65, 0.1, 0.8, 0.7, 0.5, 0}, {0.65, 0.3, 1, 0.69, 0.5, 0},
        {0.65, 0.1, 0.7, 0.69, 0.6, 1}, {0.65, 0.1, 0.5, 0.68, 0.6, 1}};
    private static final double[][] LARGE = {
        {0.65, 0.3, 4, 0.69, 0.6, 0}, {0.65, 0.3, 3, 0.68, 0.6, 0}, {0.65, 0.3, 2, 0.68, 0.5, 0},
        {0.65, 0.3, 1, 0.65, 1.5, 1}, {0.67, 0.4, 1, 0.65, 1.5, 1}};
    private static final double[] WATER = {175 / 255.0, 238 / 255.0, 238 / 255.0};
    private static final double[] MUD = {63 / 255.0, 42 / 255.0, 20 / 255.0};
    private static final float[] EMBOSS = {-2, -1, 0, -1, 1, 1, 0, 1, 2};

    /** Water drops or mud. */
    public enum Branch {
        LIQUID, MUD
    }

    /**
     * @param mean      the liquid noise's mean
     * @param std       the liquid noise's standard deviation
     * @param sigma     the liquid layer's gaussian blur, in pixels
     * @param threshold liquid below it is dry
     * @param amount    the water's strength ({@link Branch#LIQUID}) or the mud mask's blur in pixels ({@link Branch#MUD})
     * @param branch    water or mud
     */
    public record Params(double mean, double std, double sigma, double threshold, double amount, Branch branch) {
        public Params {
            if (branch == null) {
                throw new IllegalArgumentException("spatter: expected a branch, got null");
            }
        }
    }

    @Override
    public String name() {
        return "spatter";
    }

    @Override
    public Family family() {
        return Family.WEATHER;
    }

    @Override
    public Suite suite() {
        return Suite.EXTRA;
    }

    @Override
    public String describe() {
        return "splashes water drops or mud over the image (ImageNet-C extra)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        Scale s = Scale.of(height, width);
        double[] c = (s == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        double f = s.factor(Math.max(height, width));
        boolean mud = c[5] == 1;
        return new Params(c[0], c[1], c[2] * f, c[3], mud ? c[4] * f : c[4], mud ? Branch.MUD : Branch.LIQUID);
    }

    @Override
    public Params identity() {
        return new Params(0, 0, 0, 1, 0, Branch.LIQUID);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        float[] noise = new float[plane];
        for (int i = 0; i < plane; i++) {
            noise[i] = (float) (p.mean() + p.std() * rng.nextGaussian());
        }
        float[] layer = Filters.gaussian(noise, 1, h, w, p.sigma(), Filters.Border.NEAREST);
        for (int i = 0; i < plane; i++) {
            if (layer[i] < p.threshold()) {
                layer[i] = 0;
            }
        }
        double[] mask = p.branch() == Branch.LIQUID ? water(layer, h, w, p.amount()) : mud(layer, h, w, p);
        double[] colour = p.branch() == Branch.LIQUID ? WATER : MUD;
        boolean mud = p.branch() == Branch.MUD;
        for (int i = 0; i < plane; i++) {
            double m = mask[i];
            if (c == 1) {
                double add = 0.2989 * clip(m * colour[0]) + 0.587 * clip(m * colour[1]) + 0.114 * clip(m * colour[2]);
                dst[i] = (float) ((mud ? src[i] * (1 - m) : src[i]) + add);
            } else {
                for (int ch = 0; ch < 3; ch++) {
                    int k = ch * plane + i;
                    dst[k] = (float) ((mud ? src[k] * (1 - m) : src[k]) + m * colour[ch]);
                }
            }
        }
    }

    private static double clip(double v) {
        return Math.min(1, Math.max(0, v));
    }

    /** The liquid branch's mask. */
    private static double[] water(float[] layer, int h, int w, double amount) {
        int plane = h * w;
        float[] bytes = new float[plane];
        for (int i = 0; i < plane; i++) {
            bytes[i] = (float) Math.min(255, Math.floor(layer[i] * 255.0));
        }
        float[] edges = Canny.edges(bytes, h, w, 50, 150);
        float[] notEdges = new float[plane];
        for (int i = 0; i < plane; i++) {
            notEdges[i] = 255 - edges[i];
        }
        double[] d = DistanceTransform.euclidean(notEdges, h, w);
        float[] dist = new float[plane];
        for (int i = 0; i < plane; i++) {
            dist[i] = (float) Math.min(d[i], 20);
        }
        dist = Filters.box3(dist, 1, h, w);
        for (int i = 0; i < plane; i++) {
            dist[i] = (float) Math.floor(dist[i] + 1e-4);
        }
        dist = equalizeHist(dist);
        dist = Filters.correlate(dist, 1, h, w, EMBOSS, 3, Filters.Border.MIRROR);
        for (int i = 0; i < plane; i++) {
            dist[i] = Math.min(255f, Math.max(0f, dist[i]));
        }
        dist = Filters.box3(dist, 1, h, w);
        double[] m = new double[plane];
        double max = 0;
        for (int i = 0; i < plane; i++) {
            m[i] = (double) bytes[i] * Math.rint(dist[i]);
            max = Math.max(max, m[i]);
        }
        for (int i = 0; i < plane; i++) {
            m[i] = max > 0 ? m[i] / max * amount : 0;
        }
        return m;
    }

    /** The mud branch's mask. */
    private static double[] mud(float[] layer, int h, int w, Params p) {
        float[] wet = new float[h * w];
        for (int i = 0; i < wet.length; i++) {
            wet[i] = layer[i] > p.threshold() ? 1f : 0f;
        }
        float[] blurred = Filters.gaussian(wet, 1, h, w, p.amount(), Filters.Border.NEAREST);
        double[] m = new double[wet.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = blurred[i] < 0.8f ? 0 : blurred[i];
        }
        return m;
    }

    /**
     * OpenCV's {@code equalizeHist} of an 8-bit plane (integer values 0 to 255): with {@code lo} the smallest value
     * present and {@code n} the pixel count, value {@code v} becomes {@code round(255 (cdf(v) - cdf(lo)) / (n -
     * count(lo)))} (half to even), {@code lo} becoming 0; a plane of one value stays as it is.
     */
    static float[] equalizeHist(float[] plane) {
        int[] hist = new int[256];
        for (float v : plane) {
            hist[(int) v]++;
        }
        int lo = 0;
        while (hist[lo] == 0) {
            lo++;
        }
        float[] out = new float[plane.length];
        if (hist[lo] == plane.length) {
            System.arraycopy(plane, 0, out, 0, plane.length);
            return out;
        }
        float scale = 255f / (plane.length - hist[lo]);
        int[] lut = new int[256];
        int sum = 0;
        for (int i = lo + 1; i < 256; i++) {
            sum += hist[i];
            lut[i] = Math.min(255, (int) Math.rint(sum * scale));
        }
        for (int i = 0; i < plane.length; i++) {
            out[i] = lut[(int) plane[i]];
        }
        return out;
    }
}
