/**
 * The only loops over raw arrays: matrix multiply, im2col and col2im, and the thread pool they share; also the
 * fused multiply-add loop that measures the machine's peak.
 */
package dev.fovea.kernels;
