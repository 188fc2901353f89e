package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Horizontal flip (the mirror image, left to right; torchvision's {@code hflip}, PIL's
 * {@code FLIP_LEFT_RIGHT}): an exact permutation of the pixels, {@code dst(r, c) = src(r, w - 1 - c)}. It is the
 * same at every severity (not graded) and draws nothing. Identity: {@code flip=false}.
 */
public final class HorizontalFlip extends Corruption<HorizontalFlip.Params> {
    /** @param flip whether to mirror the image */
    public record Params(boolean flip) {
    }

    @Override
    public String name() {
        return "hflip";
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
        return "mirrors left to right (exact permutation)";
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
        for (int row = 0; row < c * h; row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                dst[o + x] = src[o + w - 1 - x];
            }
        }
    }
}
