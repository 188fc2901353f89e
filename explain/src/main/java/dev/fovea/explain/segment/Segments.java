package dev.fovea.explain.segment;

/**
 * A segmentation of one {@code H x W} image: a label per pixel ({@code labels[y * W + x]}, from 0) and the number
 * of labels; every label in {@code [0, count)} has at least one pixel.
 */
public record Segments(int[] labels, int count) {
    public Segments {
        if (labels == null || count < 1) {
            throw new IllegalArgumentException("segments: expected labels and a count >= 1, got " + count);
        }
    }

    /** The pixels of each label, {@code [count]} in all. */
    public int[] sizes() {
        int[] s = new int[count];
        for (int l : labels) {
            s[l]++;
        }
        return s;
    }
}
