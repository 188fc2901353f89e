/**
 * Layers with forward and backward side by side, containers ({@link dev.fovea.nn.Sequential},
 * {@link dev.fovea.nn.Residual}), and state in PyTorch's {@code state_dict} naming.
 */
package dev.fovea.nn;
