/**
 * The libtorch backend through DJL: TorchScript models, and own-engine networks run on libtorch. The only package
 * that imports {@code ai.djl}.
 */
package dev.fovea.model.djl;
