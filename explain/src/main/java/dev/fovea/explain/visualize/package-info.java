/**
 * Feature visualisation: activation maximisation by gradient ascent on the pixels, the differentiable image
 * transforms and parameterisations it needs, with exact adjoints.
 */
package dev.fovea.explain.visualize;
