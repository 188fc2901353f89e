package dev.fovea.audit.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One section of an audit's page: a {@link Section} (its numbers, its CSVs and PNGs, written into its own folder)
 * that also has a title, a template ({@code NAME.mustache} among the report's templates) with the values it fills
 * in ({@link #view}), the measurements a release gate may name ({@link #metrics}) and its clause of the verdict
 * sentence ({@link #verdict}). Every number a view shows comes from {@link #json}, which {@code report.json} holds.
 */
public interface AuditSection extends Section {
    /** The heading on the page. */
    String title();

    /** The section's numbers, as {@code report.json} holds them under {@code sections.NAME}. */
    Object numbers();

    @Override
    default Object json(Provenance provenance) {
        return numbers();
    }

    /** The values the section's template reads; pictures come from {@code figures} as data URIs of the files written. */
    Map<String, Object> view(Figures figures) throws IOException;

    /** Measurements by gate key ({@link dev.fovea.audit.Gate#metric}): pass/fail checks as 1 or 0. */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** The section's clause of the verdict, or {@code null}. */
    default String verdict() {
        return null;
    }

    /** Remarks shown under the heading (what was skipped and why). */
    default List<String> notes() {
        return List.of();
    }
}
