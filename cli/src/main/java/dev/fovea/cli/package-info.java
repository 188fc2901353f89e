/** The {@code fovea} command line: one class per command, shared options as mixins. */
package dev.fovea.cli;
