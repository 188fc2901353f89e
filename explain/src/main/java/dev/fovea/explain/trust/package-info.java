/**
 * Checks of whether an attribution map can be trusted: the model-randomisation sanity check (does the map depend
 * on the weights?) and deletion/insertion curves (does the map rank the pixels the model needs?).
 */
package dev.fovea.explain.trust;
