package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Vertical flip (upside down; torchvision's {@code vflip}, PIL's {@code FLIP_TOP_BOTTOM}): an exact permutation
 * of the pixels, {@code dst(r, c) = src(h - 1 - r, c)}. It is the same at every severity (not graded) and draws
 * nothing. Identity: {@code flip=false}.
 */
public final class VerticalFlip extends Corruption<VerticalFlip.Params> {
    /** @param flip whether to turn the image upside down */
    public record Params(boolean flip) {
    }

    @Override
    public String name() {
        return "vflip";
    }

    @Override
    public Family family() {
        return Family.GEOMETRIC;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "flips top to bottom (exact permutation)";
    }

    @Override
    public boolean random() {
        return false;
    }

    @Override
    public boolean graded() {
        return false;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(true);
    }

    @Override
    public Params identity() {
        return new Params(false);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        if (!p.flip()) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            int o = ch * h * w;
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, o + (h - 1 - r) * w, dst, o + r * w, w);
            }
        }
    }
}
