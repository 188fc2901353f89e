/**
 * The model interface ({@link dev.fovea.model.Classifier}) and how models are opened: {@link dev.fovea.model.ModelLoader}
 * chooses among the {@link dev.fovea.model.Backend}s on the class path (the own engine, libtorch). Networks of the own
 * engine: architectures as data, initialisation, state naming, model files.
 */
package dev.fovea.model;
