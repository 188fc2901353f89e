/** Training loops of own-engine networks, their losses and random augmentation (AugMix among it), and evaluation. */
package dev.fovea.train;
