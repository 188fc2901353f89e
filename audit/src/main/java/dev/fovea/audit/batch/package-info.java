/**
 * Batches: a spec names models, data, seeds and runs; {@link dev.fovea.audit.batch.Grid} expands it into
 * {@link dev.fovea.audit.batch.Cell}s (the product minus {@code exclude}, each with a stable id hashed from its
 * resolved plan), each of a registered {@link dev.fovea.audit.batch.CellType}
 * ({@link dev.fovea.audit.batch.CellTypes}); {@link dev.fovea.audit.batch.BatchRunner} runs them with an engine
 * ({@link dev.fovea.audit.batch.LocalEngine}, or Spark's from the {@code batch-spark} module) through one
 * {@link dev.fovea.audit.batch.CellRunner}, resumable and sharded, and {@link dev.fovea.audit.batch.BatchFolder}
 * writes the merged outputs: tidy results, comparison charts and a combined page.
 */
package dev.fovea.audit.batch;
