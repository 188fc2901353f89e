package dev.fovea.model;

/**
 * Where a model runs. {@code AUTO} takes a CUDA GPU when the backend finds one, else the CPU. The own engine runs
 * on the CPU only; libtorch runs on either.
 */
public enum Device {
    CPU, GPU, AUTO
}
