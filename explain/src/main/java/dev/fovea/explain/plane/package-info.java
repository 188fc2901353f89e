/**
 * The plane-folding view of a small ReLU network on a 2-D toy set: how each affine map and each ReLU move and fold
 * the input plane, and where the decision regions lie at every layer.
 */
package dev.fovea.explain.plane;
