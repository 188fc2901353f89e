/** The only loops over raw arrays: matrix multiply, im2col and col2im, and the thread pool they share. */
package dev.fovea.kernels;
