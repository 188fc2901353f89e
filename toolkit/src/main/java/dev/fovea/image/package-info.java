/**
 * Image files and pixel grids: reading PNG, JPEG, BMP and GIF into {@code [1,C,H,W]} tensors in {@code [0,1]}
 * (through {@code javax.imageio}), writing tensors as PNG, fitting images to a model's input size ({@link
 * dev.fovea.image.Resize}: center-crop, stretch, pad; antialiased by {@link dev.fovea.image.Resample} as PIL resizes,
 * {@link dev.fovea.image.Fitting} for what was done), and plain bilinear resizing of maps ({@link dev.fovea.image.Bilinear}).
 */
package dev.fovea.image;
