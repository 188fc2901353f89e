/**
 * Adversarial attacks on the model interface: perturbations within an epsilon ball of the pixels.
 */
package dev.fovea.attacks;
