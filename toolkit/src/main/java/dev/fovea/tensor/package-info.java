/** Dense float32 tensors and their shapes. */
package dev.fovea.tensor;
