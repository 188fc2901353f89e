package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;

import java.io.IOException;

/**
 * A data set of the grid: its name in tables (default: the last part of its source), its source as the spec writes
 * it, what that resolves to (a path relative to the spec's folder, or {@code fashion-mnist[:train|:test]} as it
 * is), and the samples taken: the first {@code perClass} of each class, then the first {@code limit}
 * ({@code null}: all). {@link #load} reads it at the model's input shape, an image folder's classes matched to the
 * model's class names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataEntry(String name, String source, String resolved, Integer limit, Integer perClass) {
    /** The samples for {@code model}, then the first {@code cellLimit} of them ({@code null}: all). */
    public Dataset load(Classifier model, Integer cellLimit) throws IOException {
        Dataset d = DataSpec.load(resolved, null, null, model.inputShape(), model.classNames());
        if (d.size() == 0) {
            throw new IOException(source + ": no samples");
        }
        if (d.classNames().size() != model.classes()) {
            throw new IOException(source + ": has " + d.classNames().size() + " classes, the model " + model.classes());
        }
        if (perClass != null) {
            d = d.perClass(perClass);
        }
        if (limit != null) {
            d = d.limit(limit);
        }
        return cellLimit == null ? d : d.limit(cellLimit);
    }

    /** What of the data enters a cell's id. */
    Object identity() {
        return new DataEntry(null, source, null, limit, perClass);
    }
}
