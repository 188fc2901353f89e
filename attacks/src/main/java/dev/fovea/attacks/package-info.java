/**
 * Adversarial attacks on the model interface: perturbations within an epsilon ball of the pixels. White-box
 * attacks read gradients; black-box ones the logits ({@link dev.fovea.attacks.Square}) or only the predicted labels
 * (the decision-based {@link dev.fovea.attacks.Boundary} and {@link dev.fovea.attacks.HopSkipJump}); minimum-norm
 * attacks search each sample's smallest perturbation. {@link dev.fovea.attacks.Universal} fits one perturbation for
 * a whole data set.
 */
package dev.fovea.attacks;
