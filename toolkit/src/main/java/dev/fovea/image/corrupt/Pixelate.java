package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Pixelate (ImageNet-C, digital): shrinks the image to {@code int(width * factor) x int(height * factor)} (at least
 * one pixel) with PIL's {@code BOX} resampling, then enlarges it back to its size with {@code BOX} again, as the
 * published generator does ({@code Image.resize(..., PIL.Image.BOX)} twice).
 *
 * <p>Resampling is Pillow's ({@code libImaging/Resample.c}) one axis at a time, width first: output {@code i} of an
 * axis going from {@code n} to {@code m} samples has centre {@code (i + 0.5) * n / m}; with {@code s = max(n / m,
 * 1)} and support {@code 0.5 * s}, it covers inputs {@code (int)(centre - support + 0.5)} up to, not including,
 * {@code (int)(centre + support + 0.5)}, clamped to the axis, each weighted {@code box((j - centre + 0.5) * (1 / s))}
 * ({@code box(t)} is 1 on {@code (-0.5, 0.5]}) and the weights normalised to sum 1. An axis whose size does not
 * change is not resampled. The sums are taken in double and stored as floats after each axis, which is what
 * Pillow does for a 32-bit float image (mode {@code F}); on 8-bit images Pillow rounds each axis to whole levels
 * with 22-bit fixed-point weights, which moves a value by at most one level (1/255) from this.
 *
 * <p>Factor per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.95, 0.9, 0.85, 0.75, 0.65; ImageNet-C
 * ({@code make_imagenet_c.py}) 0.6, 0.5, 0.4, 0.3, 0.25. Identity: factor 1 (no axis changes size, so nothing is
 * resampled). The {@code imagecorruptions} package enlarges with {@code NEAREST} instead; this follows the
 * published generator. Grayscale images are one channel (no rule of their own there). Deterministic.
 */
public final class Pixelate extends Corruption<Pixelate.Params> {
    private static final double[] SMALL = {0.95, 0.9, 0.85, 0.75, 0.65};
    private static final double[] LARGE = {0.6, 0.5, 0.4, 0.3, 0.25};

    /** @param factor the small image's side over the image's, in {@code (0, 1]} */
    public record Params(double factor) {
        public Params {
            if (!(factor > 0 && factor <= 1)) {
                throw new IllegalArgumentException("pixelate: expected a factor in (0,1], got " + factor);
            }
        }
    }

    @Override
    public String name() {
        return "pixelate";
    }

    @Override
    public Family family() {
        return Family.DIGITAL;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "shrinks the image and enlarges it back with PIL's box filter (ImageNet-C)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE, severity));
    }

    @Override
    public Params identity() {
        return new Params(1);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int sw = Math.max(1, (int) (w * p.factor()));
        int sh = Math.max(1, (int) (h * p.factor()));
        int plane = h * w;
        float[] one = new float[plane];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(src, ch * plane, one, 0, plane);
            float[] small = resize(one, h, w, sh, sw);
            float[] back = resize(small, sh, sw, h, w);
            System.arraycopy(back, 0, dst, ch * plane, plane);
        }
    }

    /** Pillow's {@code BOX} resize of one {@code h x w} plane to {@code oh x ow}: width first, then height. */
    static float[] resize(float[] in, int h, int w, int oh, int ow) {
        float[] cur = in;
        if (ow != w) {
            Axis a = Axis.box(w, ow);
            float[] out = new float[h * ow];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < ow; x++) {
                    double s = 0;
                    for (int k = 0; k < a.count[x]; k++) {
                        s += cur[y * w + a.first[x] + k] * a.weight[x][k];
                    }
                    out[y * ow + x] = (float) s;
                }
            }
            cur = out;
        }
        if (oh != h) {
            Axis a = Axis.box(h, oh);
            float[] out = new float[oh * ow];
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double s = 0;
                    for (int k = 0; k < a.count[y]; k++) {
                        s += cur[(a.first[y] + k) * ow + x] * a.weight[y][k];
                    }
                    out[y * ow + x] = (float) s;
                }
            }
            cur = out;
        }
        return cur == in ? in.clone() : cur;
    }

    /** For each output sample of an axis: its first input, how many inputs it covers, and their weights. */
    private record Axis(int[] first, int[] count, double[][] weight) {
        static Axis box(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = 0.5 * filterScale;
            double reciprocal = 1.0 / filterScale; // Pillow multiplies by it rather than dividing
            int[] first = new int[out];
            int[] count = new int[out];
            double[][] weight = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) (centre - support + 0.5));
                int hi = Math.min(in, (int) (centre + support + 0.5));
                double[] k = new double[Math.max(0, hi - lo)];
                double sum = 0;
                for (int j = 0; j < k.length; j++) {
                    double t = (j + lo - centre + 0.5) * reciprocal;
                    k[j] = t > -0.5 && t <= 0.5 ? 1.0 : 0.0;
                    sum += k[j];
                }
                for (int j = 0; j < k.length && sum != 0; j++) {
                    k[j] /= sum;
                }
                first[i] = lo;
                count[i] = k.length;
                weight[i] = k;
            }
            return new Axis(first, count, weight);
        }
    }
}
