/** Training loops and evaluation of own-engine networks. */
package dev.fovea.train;
