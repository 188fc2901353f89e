/**
 * The layer between the methods and the command line: runs turn an immutable plan into typed results
 * ({@link dev.fovea.audit.run}), report sections turn results into JSON, CSV and pictures
 * ({@link dev.fovea.audit.report}), and {@link dev.fovea.audit.ProgressListener} tells a front end how far a run
 * has got. Nothing here parses flags or prints: the command line, an audit, a batch runner or a researcher's own
 * {@code main} compose the same runs and sections.
 */
package dev.fovea.audit;
