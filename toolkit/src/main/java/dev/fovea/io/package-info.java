/**
 * File formats for model weights (safetensors) and their errors, the caps every reader checks
 * ({@link dev.fovea.io.Limits}), and how fovea writes: single files all or nothing ({@link dev.fovea.io.AtomicFiles},
 * through links and into special files) and result folders as a whole ({@link dev.fovea.io.ResultFolder}, locked for
 * the run).
 */
package dev.fovea.io;
