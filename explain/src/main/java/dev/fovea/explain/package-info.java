/**
 * Attributions and visualisations on the model interface: what a network looks at.
 */
package dev.fovea.explain;
