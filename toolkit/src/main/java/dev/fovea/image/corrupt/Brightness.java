package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Brightness (ImageNet-C, digital): adds {@code shift} to the HSV value of every pixel, clipped to {@code [0,1]}
 * ({@link Hsv}, scikit-image's conversion). A grayscale pixel's value is the pixel itself, so grayscale images get
 * {@code clip(x + shift)}, as the {@code imagecorruptions} package does for them.
 *
 * <p>Shift per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) 0.05, 0.1, 0.15, 0.2, 0.3; ImageNet-C
 * ({@code make_imagenet_c.py}) 0.1, 0.2, 0.3, 0.4, 0.5. Identity: shift 0. Deterministic.
 */
public final class Brightness extends Corruption<Brightness.Params> {
    private static final double[] SMALL = {0.05, 0.1, 0.15, 0.2, 0.3};
    private static final double[] LARGE = {0.1, 0.2, 0.3, 0.4, 0.5};

    /** @param shift added to the HSV value */
    public record Params(double shift) {
    }

    @Override
    public String name() {
        return "brightness";
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
        return "adds a constant to each pixel's HSV value (ImageNet-C)";
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
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        if (c == 1) {
            for (int i = 0; i < plane; i++) {
                dst[i] = (float) Math.min(1.0, Math.max(0.0, src[i] + p.shift()));
            }
            return;
        }
        double[] hsv = new double[3];
        double[] rgb = new double[3];
        for (int i = 0; i < plane; i++) {
            Hsv.toHsv(src[i], src[plane + i], src[2 * plane + i], hsv);
            double v = Math.min(1.0, Math.max(0.0, hsv[2] + p.shift()));
            Hsv.toRgb(hsv[0], hsv[1], v, rgb);
            dst[i] = (float) rgb[0];
            dst[plane + i] = (float) rgb[1];
            dst[2 * plane + i] = (float) rgb[2];
        }
    }
}
