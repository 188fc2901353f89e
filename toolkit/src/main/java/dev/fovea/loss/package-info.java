/** Loss functions on logits. */
package dev.fovea.loss;
