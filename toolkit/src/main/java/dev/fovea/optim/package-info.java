/** Optimizers (SGD, Adam, AdamW) and learning-rate schedules. */
package dev.fovea.optim;
