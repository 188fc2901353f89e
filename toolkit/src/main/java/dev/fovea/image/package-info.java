/**
 * Image files and pixel grids: reading PNG, JPEG, BMP and GIF into {@code [1,C,H,W]} tensors in {@code [0,1]}
 * (through {@code javax.imageio}), writing tensors as PNG, and bilinear resizing.
 */
package dev.fovea.image;
