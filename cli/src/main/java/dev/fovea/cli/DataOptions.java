package dev.fovea.cli;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Options that name a data set: {@code --data}, {@code --data-dir}, {@code --labels}, {@code --limit}. */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the Fashion-MNIST IDX files (default: $FOVEA_DATA, else /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "Labels (int N) for --data given as an .npy array.")
    Path labels;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    Integer limit;

    /** Loads {@code spec}; {@code shape} ({@code [C,H,W]}, may be null) is the size images are converted to. */
    Dataset load(String spec, Shape shape) throws IOException {
        return load(spec, shape, null);
    }

    /**
     * Loads {@code spec} for {@code model}: images at its input shape, and an image folder's class folders matched
     * to its class names by name.
     */
    Dataset load(String spec, Classifier model) throws IOException {
        return load(spec, model.inputShape(), model.classNames());
    }

    /** Loads {@code spec} at {@code shape}, an image folder's class folders matched to {@code classNames} (may be null). */
    Dataset load(String spec, Shape shape, List<String> classNames) throws IOException {
        if (limit != null && limit < 1) {
            throw new UsageException("--limit must be at least 1, got " + limit);
        }
        Dataset d = DataSpec.load(spec, dataDir, labels, shape, classNames);
        if (d.size() == 0) {
            throw new IOException(spec + ": no samples");
        }
        return limit == null ? d : d.limit(limit);
    }
}
