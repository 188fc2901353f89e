package dev.fovea.cli;

import dev.fovea.Version;
import dev.fovea.audit.report.Json;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea predict}: the top classes of a model for image files. Images are converted to the model's channels
 * (luminance 0.299R + 0.587G + 0.114B for one channel; gray repeated for three; alpha composited over black) and
 * fitted to its input size by {@code --resize} ({@link ResizeOption}: center-crop unless chosen otherwise,
 * antialiased as PIL resizes), with one notice line on stderr when any image was resized or converted. With
 * {@code --json FILE} it also writes per image the file and its SHA-256, the predicted class by index and name, the
 * top classes by name and every class's probability ({@link PredictJson}); {@code --json -} prints that JSON alone
 * on standard output.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify image files (PNG, JPEG, BMP, GIF): the top classes with their probabilities.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required modelOptions;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the predictions as JSON ('-': to standard output, in place of the lines).")
    Path json;

    @Mixin
    ResizeOption resize;

    @Mixin
    BatchOptions batch;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new UsageException("--top must be at least 1, got " + top);
        }
        int batchSize = batch.size();
        SingleFile.check("--json", json);
        PrintWriter o = SingleFile.tables(json, spec.commandLine().getOut());
        try (Classifier model = modelOptions.open(batchSize)) {
            Shape s = model.inputShape();
            if (s.dim(0) != 1 && s.dim(0) != 3) {
                throw new IOException(images.get(0) + ": images convert to 1 or 3 channels, the model takes " + s.dim(0));
            }
            int k = model.classes();
            ResizeOption.Read read = resize.read(images, s);
            ResizeOption.notice(spec, images.size() == 1 ? images.get(0).toString() : images.size() + " images", read.fitting());
            Tensor z = model.logits(read.images());
            float[] p = Softmax.apply(z.data(), images.size(), k);
            List<ImageJson> rows = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                Integer[] order = new Integer[k];
                for (int j = 0; j < k; j++) {
                    order[j] = j;
                }
                final int row = i;
                java.util.Arrays.sort(order, (a, b) -> Float.compare(p[row * k + b], p[row * k + a]));
                StringBuilder line = new StringBuilder(images.get(i).toString()).append(':');
                List<ClassJson> best = new ArrayList<>();
                for (int j = 0; j < Math.min(top, k); j++) {
                    line.append(String.format(Locale.ROOT, "  %s %.1f%%", model.classNames().get(order[j]), 100 * p[row * k + order[j]]));
                    best.add(new ClassJson(order[j], model.classNames().get(order[j]), p[row * k + order[j]]));
                }
                o.println(line);
                if (json != null) {
                    rows.add(new ImageJson(images.get(i).toString(), Digests.sha256(images.get(i)), order[0], model.classNames().get(order[0]),
                            p[row * k + order[0]], best, Arrays.copyOfRange(p, row * k, (row + 1) * k)));
                }
            }
            o.flush();
            if (json != null) {
                PredictJson doc = new PredictJson(modelOptions.file().toString(), Digests.sha256(modelOptions.file()), model.backend(),
                        s.dims(), model.classNames(), rows, Cli.typed(spec), Version.VERSION, System.getProperty("java.version"));
                SingleFile.write(json, Json.bytes(doc), spec.commandLine().getOut());
            }
        }
        return Cli.OK;
    }

    /** A class and its probability. */
    record ClassJson(int index, String name, float probability) {
    }

    /**
     * One image: its file and SHA-256, the predicted class by index and name with its probability, the {@code --top}
     * classes, and the probability of every class in the order of {@link PredictJson#classNames()}.
     */
    record ImageJson(String file, String sha256, int prediction, String predictionName, float confidence, List<ClassJson> top,
                     float[] probabilities) {
    }

    /**
     * The whole of {@code --json}: the model, its SHA-256 and backend, its input shape {@code [C,H,W]} and class
     * names, the images in the order given, the command line and the versions.
     */
    record PredictJson(String model, String modelSha256, String backend, int[] inputShape, List<String> classNames, List<ImageJson> images,
                       String commandLine, String foveaVersion, String javaVersion) {
    }
}
