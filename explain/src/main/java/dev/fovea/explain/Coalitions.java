package dev.fovea.explain;

/**
 * The binary feature vectors a sampling method evaluates for one sample: {@code [rows][features]}, true where the
 * feature keeps the image. LIME and KernelSHAP draw them from the seed; a test hands in fixed ones.
 */
interface Coalitions {
    boolean[][] draw(int sample, int features, int rows);
}
