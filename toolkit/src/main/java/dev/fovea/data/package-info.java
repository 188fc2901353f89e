/** Data sets: IDX (MNIST, Fashion-MNIST), NumPy {@code .npy}, image folders, and the data-set specification ({@link dev.fovea.data.DataSpec}). */
package dev.fovea.data;
