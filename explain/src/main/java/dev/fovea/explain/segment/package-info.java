/**
 * Segmentations of an image into superpixels, the features that perturbation methods (feature ablation, LIME,
 * KernelSHAP) switch on and off: SLIC as scikit-image defines it ({@link dev.fovea.explain.segment.Slic}) and a
 * regular grid of square cells.
 */
package dev.fovea.explain.segment;
