package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Saturate (held-out extra of ImageNet-C, digital): scales and shifts every pixel's HSV saturation, {@code s' =
 * clip(s * factor + shift, 0, 1)}, through scikit-image's conversion ({@link Hsv}) as the published generator does,
 * clipped to {@code [0,1]}. A gray pixel has saturation 0 and hue 0, so a positive shift tints it red, as in the
 * published data.
 *
 * <p>(factor, shift) per severity 1 to 5: CIFAR-10-C ({@code make_cifar_c.py}) (0.3, 0), (0.1, 0), (1.5, 0), (2,
 * 0.1), (2.5, 0.2); ImageNet-C ({@code make_imagenet_c.py}) (0.3, 0), (0.1, 0), (2, 0), (5, 0.1), (20, 0.2).
 * Identity: factor 1, shift 0 (the HSV round trip returns every pixel as it was). Deterministic.
 *
 * <p>Colour images only: the {@code imagecorruptions} package stacks a grayscale image into three equal channels and
 * keeps the red one, which is the value itself whatever the severity (hue 0 puts the value in red), so grayscale
 * images are refused rather than returned unchanged.
 */
public final class Saturate extends Corruption<Saturate.Params> {
    private static final double[][] SMALL = {{0.3, 0}, {0.1, 0}, {1.5, 0}, {2, 0.1}, {2.5, 0.2}};
    private static final double[][] LARGE = {{0.3, 0}, {0.1, 0}, {2, 0}, {5, 0.1}, {20, 0.2}};

    /**
     * @param factor multiplies the saturation
     * @param shift  is added to it after
     */
    public record Params(double factor, double shift) {
        public Params {
            if (!Double.isFinite(factor) || !Double.isFinite(shift)) {
                throw new IllegalArgumentException("saturate: expected a finite factor and shift, got " + factor + " and " + shift);
            }
        }
    }

    @Override
    public String name() {
        return "saturate";
    }

    @Override
    public Family family() {
        return Family.DIGITAL;
    }

    @Override
    public Suite suite() {
        return Suite.EXTRA;
    }

    @Override
    public String describe() {
        return "scales and shifts each pixel's HSV saturation (ImageNet-C extra)";
    }

    @Override
    public boolean colourOnly() {
        return true;
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double[] row = (Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        return new Params(row[0], row[1]);
    }

    @Override
    public Params identity() {
        return new Params(1, 0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        double[] hsv = new double[3];
        double[] rgb = new double[3];
        for (int i = 0; i < plane; i++) {
            Hsv.toHsv(src[i], src[plane + i], src[2 * plane + i], hsv);
            double s = Math.min(1.0, Math.max(0.0, hsv[1] * p.factor() + p.shift()));
            Hsv.toRgb(hsv[0], s, hsv[2], rgb);
            dst[i] = (float) rgb[0];
            dst[plane + i] = (float) rgb[1];
            dst[2 * plane + i] = (float) rgb[2];
        }
    }
}
