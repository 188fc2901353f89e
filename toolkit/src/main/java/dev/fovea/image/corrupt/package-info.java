/**
 * The common corruptions of CIFAR-10-C and ImageNet-C (Hendrycks and Dietterich, ICLR 2019), the held-out extras,
 * and the everyday augmentations (flips, affine moves, colour changes, occlusions), each a {@link
 * dev.fovea.image.corrupt.Corruption} registered in {@link dev.fovea.image.corrupt.Corruptions}.
 */
package dev.fovea.image.corrupt;
