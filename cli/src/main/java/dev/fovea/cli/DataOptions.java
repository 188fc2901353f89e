package dev.fovea.cli;

import dev.fovea.audit.report.Provenance;
import dev.fovea.data.DataFormatException;
import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelSetup;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Options that name a data set: {@code --data}, {@code --data-dir}, {@code --labels}, {@code --limit},
 * {@code --per-class}, and {@code --resize} ({@link ResizeOption}) for image files.
 */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder holding the Fashion-MNIST IDX files (default: $FOVEA_DATA, else /usr/share/datasets/fashion-mnist).")
    Path dataDir;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "Labels (int N) for --data given as an .npy array.")
    Path labels;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples (of an image folder, its class folders are taken in turn).")
    Integer limit;

    @Option(names = "--per-class", paramLabel = "N",
            description = "Use only the first N samples of each class, in their order (with --limit: then the first of those).")
    Integer perClass;

    @Mixin
    ResizeOption resize = new ResizeOption();

    /** The command this is mixed into, for its stderr. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * {@code p} with the data set {@code d} that {@link #load} returned: its source, the SHA-256 of its files and of its
     * samples ({@link Provenance#withData(Dataset)}), and the selection asked for ({@code --limit}, {@code --per-class}).
     */
    Provenance provenance(Provenance p, Dataset d) throws IOException {
        return p.withData(d).withSelection(limit, perClass);
    }

    /** Loads {@code spec}; {@code shape} ({@code [C,H,W]}, may be null) is the size images are converted to. */
    Dataset load(String spec, Shape shape) throws IOException {
        return load(spec, shape, null);
    }

    /**
     * Loads {@code spec} for {@code model}: images at its input shape, and an image folder's class folders matched
     * to its class names by name.
     */
    Dataset load(String spec, Classifier model) throws IOException {
        ModelSetup setup = model.setup();
        if (setup == null || setup.classNamesFrom() != ModelSetup.Source.DEFAULT || !Files.isDirectory(Path.of(spec.strip()))) {
            return load(spec, model.inputShape(), model.classNames());
        }
        // classes numbered for want of names: folders named by the numbers are matched by name, others are taken in
        // sorted order, as torchvision's ImageFolder numbers them (and so most likely the model's training did)
        try {
            return load(spec, model.inputShape(), model.classNames());
        } catch (DataFormatException e) {
            Dataset d = load(spec, model.inputShape(), null);
            List<String> folders = d.classNames();
            if (folders.size() > model.classes()) {
                throw new DataFormatException(spec + ": has " + folders.size() + " class folders, the model " + model.classes() + " classes");
            }
            List<String> pairs = new java.util.ArrayList<>();
            for (int i = 0; i < folders.size(); i++) {
                pairs.add(i + "=" + folders.get(i));
            }
            PrintWriter err = command.commandLine().getErr();
            err.println(command.qualifiedName() + ": warning: " + spec + ": class folders taken in sorted order as the model's classes, as"
                    + " torchvision's ImageFolder numbers them: " + String.join(", ", pairs));
            err.flush();
            return new Dataset(d.images(), d.labels(), model.classNames(), d.source(), d.files(), d.fitting());
        }
    }

    /** Loads {@code spec} at {@code shape}, an image folder's class folders matched to {@code classNames} (may be null). */
    Dataset load(String spec, Shape shape, List<String> classNames) throws IOException {
        if (limit != null && limit < 1) {
            throw new UsageException("--limit must be at least 1, got " + limit);
        }
        if (perClass != null && perClass < 1) {
            throw new UsageException("--per-class must be at least 1, got " + perClass);
        }
        Dataset d = DataSpec.load(spec, dataDir, labels, shape, classNames, resize.mode);
        if (d.size() == 0) {
            throw new IOException(spec + ": no samples");
        }
        ResizeOption.notice(command, d.source(), d.fitting());
        if (perClass != null) {
            d = d.perClass(perClass);
        }
        return limit == null ? d : d.limit(limit);
    }
}
