/**
 * Runs: immutable plans validated with the library's option names, run on a {@link dev.fovea.model.Classifier}
 * and a batch of images, returning typed result records. {@link dev.fovea.audit.run.AttackRun},
 * {@link dev.fovea.audit.run.ExplainRun}, {@link dev.fovea.audit.run.DiagnosticsRun},
 * {@link dev.fovea.audit.run.CorruptionRun}, {@link dev.fovea.audit.run.CertifyRun}, {@link dev.fovea.audit.run.UniversalRun}.
 */
package dev.fovea.audit.run;
