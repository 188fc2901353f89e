package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * What the two flips share: an exact permutation of the pixels, the same at every severity (not graded), drawing
 * nothing, and the identity {@code flip=false}. A subclass says how the pixels move ({@link #flip}).
 */
public abstract class Flip extends Corruption<Flip.Params> {
    /** @param flip whether to flip the image */
    public record Params(boolean flip) {
    }

    /** Only the flips of this package extend it. */
    Flip() {
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
    protected final void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        if (!p.flip()) {
            System.arraycopy(src, 0, dst, 0, src.length);
            return;
        }
        flip(src, dst, c, h, w);
    }

    /** Writes the flipped {@code c x h x w} image {@code src} into {@code dst}. */
    abstract void flip(float[] src, float[] dst, int c, int h, int w);
}
