/** Data sets: IDX (MNIST, Fashion-MNIST), NumPy {@code .npy}, image folders, and the {@code --data} specification. */
package dev.fovea.data;
