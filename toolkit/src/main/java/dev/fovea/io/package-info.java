/** File formats for model weights (safetensors) and their errors. */
package dev.fovea.io;
