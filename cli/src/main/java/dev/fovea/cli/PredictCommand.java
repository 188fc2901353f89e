package dev.fovea.cli;

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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea predict}: the top classes of a model for image files. Images are converted to the model's channels
 * (luminance 0.299R + 0.587G + 0.114B for one channel; gray repeated for three; alpha composited over black) and
 * fitted to its input size by {@code --resize} ({@link ResizeOption}: center-crop unless chosen otherwise,
 * antialiased as PIL resizes), with one notice line on stderr when any image was resized or converted.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify image files (PNG, JPEG, BMP, GIF): the top classes with their probabilities.")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required modelOptions;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files.")
    List<Path> images;

    @Option(names = "--top", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

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
        PrintWriter o = spec.commandLine().getOut();
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
            for (int i = 0; i < images.size(); i++) {
                Integer[] order = new Integer[k];
                for (int j = 0; j < k; j++) {
                    order[j] = j;
                }
                final int row = i;
                java.util.Arrays.sort(order, (a, b) -> Float.compare(p[row * k + b], p[row * k + a]));
                StringBuilder line = new StringBuilder(images.get(i).toString()).append(':');
                for (int j = 0; j < Math.min(top, k); j++) {
                    line.append(String.format(Locale.ROOT, "  %s %.1f%%", model.classNames().get(order[j]), 100 * p[row * k + order[j]]));
                }
                o.println(line);
            }
        }
        o.flush();
        return Cli.OK;
    }
}
