/**
 * Reports: a {@link dev.fovea.audit.report.Report} is an ordered list of {@link dev.fovea.audit.report.Section}s
 * with one {@link dev.fovea.audit.report.Provenance}; each section knows its numbers (a record that
 * {@link dev.fovea.audit.report.Json} serialises), its tables and its pictures
 * ({@link dev.fovea.audit.report.Pictures}: XChart line charts, labelled image grids and tables).
 * {@link dev.fovea.audit.report.CorruptionExport} writes a corrupted data set for other tools.
 */
package dev.fovea.audit.report;
