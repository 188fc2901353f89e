/**
 * The libtorch backend through DJL ({@link dev.fovea.model.djl.LibtorchBackend}): TorchScript models, and own-engine
 * networks run on libtorch. The only package that imports {@code ai.djl}; other code opens models through
 * {@link dev.fovea.model.ModelLoader}.
 */
package dev.fovea.model.djl;
