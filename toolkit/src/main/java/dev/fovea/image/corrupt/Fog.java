package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Fog (ImageNet-C, weather): a plasma fractal ({@link PlasmaFractal}) added to every channel, then the image
 * rescaled so that its brightest value keeps its place: {@code (x + amount * plasma) * max / (max + amount)},
 * {@code max} the largest value of the clean image. The fractal's map is the next power of two at least the
 * image's larger side (the generators use 32 for CIFAR and 256 for ImageNet's 224, as does the
 * {@code imagecorruptions} package for any size), cropped to the image from its top-left corner.
 *
 * <p>{@code (amount, decay)} per severity 1 to 5: CIFAR-10-C (0.2, 3), (0.5, 3), (0.75, 2.5), (1, 2), (1.5, 1.75);
 * ImageNet-C (1.5, 2), (2, 2), (2.5, 1.7), (2.5, 1.5), (3, 1.4); neither is a pixel size. Grayscale images get the
 * same fractal on their one channel, as in the {@code imagecorruptions} package. Identity: amount 0 (and a black
 * image stays black, where the formula would divide 0 by 0).
 */
public final class Fog extends Corruption<Fog.Params> {
    private static final double[][] SMALL = {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}};
    private static final double[][] LARGE = {{1.5, 2}, {2, 2}, {2.5, 1.7}, {2.5, 1.5}, {3, 1.4}};

    /**
     * @param amount how much fractal is added
     * @param decay  the diamond-square noise's decay per level (larger: smoother fog)
     */
    public record Params(double amount, double decay) {
    }

    @Override
    public String name() {
        return "fog";
    }

    @Override
    public Family family() {
        return Family.WEATHER;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "adds a diamond-square plasma fractal and rescales (ImageNet-C)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double[] c = (Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        return new Params(c[0], c[1]);
    }

    @Override
    public Params identity() {
        return new Params(0, 2);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int size = PlasmaFractal.nextPowerOfTwo(Math.max(h, w));
        double[] plasma = PlasmaFractal.make(size, p.decay(), rng);
        double max = 0;
        for (float v : src) {
            max = Math.max(max, v);
        }
        double a = p.amount();
        if (max + a == 0) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = ch * plane + y * w + x;
                    dst[i] = (float) ((src[i] + a * plasma[y * size + x]) * max / (max + a));
                }
            }
        }
    }
}
