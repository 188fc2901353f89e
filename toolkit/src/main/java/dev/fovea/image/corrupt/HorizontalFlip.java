package dev.fovea.image.corrupt;

/**
 * Horizontal flip (the mirror image, left to right; torchvision's {@code hflip}, PIL's
 * {@code FLIP_LEFT_RIGHT}): an exact permutation of the pixels, {@code dst(r, c) = src(r, w - 1 - c)}. It is the
 * same at every severity (not graded) and draws nothing. Identity: {@code flip=false}.
 */
public final class HorizontalFlip extends Flip {
    @Override
    public String name() {
        return "hflip";
    }

    @Override
    public String describe() {
        return "mirrors left to right (exact permutation)";
    }

    @Override
    void flip(float[] src, float[] dst, int c, int h, int w) {
        for (int row = 0; row < c * h; row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                dst[o + x] = src[o + w - 1 - x];
            }
        }
    }
}
