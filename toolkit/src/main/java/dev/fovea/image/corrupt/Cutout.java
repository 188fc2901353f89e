package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Cutout (DeVries and Taylor 2017, "Improved regularization of convolutional neural networks with cutout"): sets a
 * {@code length x length} square to 0 in every channel. Its centre is drawn uniformly over the whole image, so
 * the square may hang over the border and is then cut to it, as in the paper's code; rows
 * {@code [cy - length / 2, cy - length / 2 + length)} (integer division), and the same for columns.
 *
 * <p>Length per severity 1 to 5 on 32x32 images: 8, 12, 16, 20, 24 pixels (the paper's lengths are 16 for
 * CIFAR-10, here severity 3, and 8 for CIFAR-100, severity 1); other sizes scale them by {@code min(h, w) / 32},
 * rounded, at least 1 (on 28x28: 7, 11, 14, 18, 21). Deviations: the paper's code zeroes the normalised image (the
 * mean colour) and covers {@code 2 * (length / 2)} pixels; here the pixels become black and an odd length covers
 * itself. Identity: length 0.
 */
public final class Cutout extends Corruption<Cutout.Params> {
    private static final double[] LENGTH = {8, 12, 16, 20, 24};
    private static final int REFERENCE = 32;

    /** @param length the side of the square, in pixels */
    public record Params(int length) {
        public Params {
            if (length < 0) {
                throw new IllegalArgumentException("cutout: expected a length >= 0, got " + length);
            }
        }
    }

    @Override
    public String name() {
        return "cutout";
    }

    @Override
    public Family family() {
        return Family.OCCLUSION;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "blacks out a square at a random place (DeVries and Taylor 2017)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double side = Corruptions.at(LENGTH, severity) * Math.min(height, width) / REFERENCE;
        return new Params((int) Math.max(1, Math.round(side)));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        System.arraycopy(src, 0, dst, 0, src.length);
        if (p.length() == 0) {
            return;
        }
        int top = rng.nextInt(h) - p.length() / 2;
        int left = rng.nextInt(w) - p.length() / 2;
        int r0 = Math.max(0, top);
        int r1 = (int) Math.min(h, (long) top + p.length());
        int c0 = Math.max(0, left);
        int c1 = (int) Math.min(w, (long) left + p.length());
        for (int ch = 0; ch < c; ch++) {
            for (int r = r0; r < r1; r++) {
                int o = (ch * h + r) * w;
                java.util.Arrays.fill(dst, o + c0, o + Math.max(c0, c1), 0f);
            }
        }
    }
}
