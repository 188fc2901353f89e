/** Networks of the own engine: architectures as data, initialisation, state naming, model files. */
package dev.fovea.model;
