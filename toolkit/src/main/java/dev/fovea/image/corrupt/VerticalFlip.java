package dev.fovea.image.corrupt;

/**
 * Vertical flip (upside down; torchvision's {@code vflip}, PIL's {@code FLIP_TOP_BOTTOM}): an exact permutation
 * of the pixels, {@code dst(r, c) = src(h - 1 - r, c)}. It is the same at every severity (not graded) and draws
 * nothing. Identity: {@code flip=false}.
 */
public final class VerticalFlip extends Flip {
    @Override
    public String name() {
        return "vflip";
    }

    @Override
    public String describe() {
        return "flips top to bottom (exact permutation)";
    }

    @Override
    void flip(float[] src, float[] dst, int c, int h, int w) {
        for (int ch = 0; ch < c; ch++) {
            int o = ch * h * w;
            for (int r = 0; r < h; r++) {
                System.arraycopy(src, o + (h - 1 - r) * w, dst, o + r * w, w);
            }
        }
    }
}
