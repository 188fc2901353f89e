package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Hue shift: turns every pixel's HSV hue by {@code shift} (a fraction of the colour circle, modulo 1), keeping
 * saturation and value ({@link Hsv}, scikit-image's conversion; torchvision's {@code adjust_hue} does the same on
 * PIL's 8-bit HSV). Grey pixels have no hue and stay. Colour images only. With {@code eitherWay} each image turns
 * by {@code shift} or {@code -shift} by a fair coin.
 *
 * <p>Shift per severity 1 to 5, either way: 0.05, 0.1, 0.15, 0.2, 0.3 of the circle (fovea's table: torchvision's
 * {@code ColorJitter} allows up to 0.5, SimCLR, Chen et al. 2020, jitters hue by up to 0.2). It does not depend on
 * the image size. Identity: shift 0 (the pixels copied, not converted).
 */
public final class HueShift extends Corruption<HueShift.Params> {
    private static final double[] SHIFT = {0.05, 0.1, 0.15, 0.2, 0.3};

    /**
     * @param shift     the turn of the hue, in turns (1 is the full circle)
     * @param eitherWay whether each image turns by {@code -shift} instead with probability 1/2
     */
    public record Params(double shift, boolean eitherWay) {
        public Params {
            if (!Double.isFinite(shift)) {
                throw new IllegalArgumentException("hue-shift: expected a finite shift, got " + shift);
            }
        }
    }

    @Override
    public String name() {
        return "hue-shift";
    }

    @Override
    public Family family() {
        return Family.COLOUR;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "turns every pixel's HSV hue (colour images)";
    }

    @Override
    public boolean colourOnly() {
        return true;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(SHIFT, severity), true);
    }

    @Override
    public Params identity() {
        return new Params(0, false);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        double shift = p.eitherWay() && rng.nextBoolean() ? -p.shift() : p.shift();
        if (shift == 0) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        int plane = h * w;
        double[] hsv = new double[3];
        double[] rgb = new double[3];
        for (int i = 0; i < plane; i++) {
            Hsv.toHsv(src[i], src[plane + i], src[2 * plane + i], hsv);
            double hue = hsv[0] + shift;
            Hsv.toRgb(hue - Math.floor(hue), hsv[1], hsv[2], rgb);
            dst[i] = (float) rgb[0];
            dst[plane + i] = (float) rgb[1];
            dst[2 * plane + i] = (float) rgb[2];
        }
    }
}
