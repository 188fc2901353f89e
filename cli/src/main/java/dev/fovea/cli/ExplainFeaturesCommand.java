package dev.fovea.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.image.Heatmaps;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain features}: the feature maps of one layer for one input, each channel a tile (viridis for
 * non-negative maps, RdBu for signed ones, each on its own scale), with the activations as {@code .npy}.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The feature maps of a layer for one image: one tile per channel, with the activations as .npy.")
public final class ExplainFeaturesCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--layer", required = true, paramLabel = "NAME", description = "Layer (see 'fovea inspect').")
    String layer;

    @Option(names = "--image", paramLabel = "FILE", description = "An image file.")
    Path image;

    @Option(names = "--data", paramLabel = "SPEC", description = "A data set, with --index.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--index", paramLabel = "I", defaultValue = "0", description = "Which sample of --data (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "4", description = "Screen pixels per activation (default: ${DEFAULT-VALUE}).")
    int scale;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((image == null) == (data == null)) {
            throw new UsageException("give one of --image and --data");
        }
        if (index < 0) {
            throw new UsageException("--index must be >= 0, got " + index);
        }
        if (scale < 1 || scale > 64) {
            throw new UsageException("--scale must be in [1,64], got " + scale);
        }
        try (Classifier m = model.open(1)) {
            if (!m.layers().contains(layer)) {
                throw new UsageException("unknown layer '" + layer + "' (layers: " + String.join(", ", m.layers()) + ")");
            }
            Shape in = m.inputShape();
            Tensor x;
            Dataset d = null;
            String source;
            if (image != null) {
                ResizeOption.Read read = dataOptions.resize.read(List.of(image), in);
                ResizeOption.notice(spec, image.toString(), read.fitting());
                x = read.images();
                source = image.toString();
            } else {
                d = dataOptions.load(data, m);
                if (index >= d.size()) {
                    throw new UsageException("--index " + index + " is outside the " + d.size() + " samples of " + data);
                }
                x = d.images().slice(index, index + 1);
                source = d.source() + " #" + index;
            }
            Tensor a = m.activations(x, layer);
            out.open();
            Npy.write(out.resolve("features.npy"), a);
            List<Tensor> tiles = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            int c = a.dim(1);
            int h = a.shape().rank() == 4 ? a.dim(2) : 1;
            int w = a.shape().rank() == 4 ? a.dim(3) : 1;
            boolean signed = false;
            for (float v : a.data()) {
                signed |= v < 0;
            }
            if (a.shape().rank() == 4) {
                tiles.add(resized(ExplainReports.sample(x, 0), h, w));
                caps.add("input");
                for (int ch = 0; ch < c; ch++) {
                    Tensor map = new Tensor(Shape.of(1, h, w), java.util.Arrays.copyOfRange(a.data(), ch * h * w, (ch + 1) * h * w));
                    tiles.add(Heatmaps.colour(map, signed));
                    caps.add(Integer.toString(ch));
                }
            } else {
                Tensor row = new Tensor(Shape.of(1, 1, c), a.data().clone());
                tiles.add(Heatmaps.colour(row, signed));
                caps.add(c + " features");
            }
            ExplainReports.tiles(out.resolve("features.png"), tiles, caps, a.shape().rank() == 4 ? 8 : 1,
                    a.shape().rank() == 4 ? Math.max(scale, 1) : Math.max(1, 600 / c),
                    String.format(Locale.ROOT, "layer %s, %s for %s; each map to its own 99th pct of |value|", layer, a.shape().tail(), source));
            ObjectNode root = ExplainReports.summary("explain features", 0, model.file(), m, d);
            root.put("layer", layer).put("input", source);
            java.util.Arrays.stream(a.shape().tail().dims()).forEach(root.putArray("shape")::add);
            ExplainReports.write(out.resolve("features.json"), root);
            out.commit();
            spec.commandLine().getOut().printf(Locale.ROOT, "layer %s: activations %s; wrote %s (features.png, features.npy, features.json)%n",
                    layer, a.shape().tail(), out.dir());
            spec.commandLine().getOut().flush();
        }
        return Cli.OK;
    }

    /** The input resized to the feature maps' size, shown beside them. */
    private static Tensor resized(Tensor chw, int h, int w) {
        return dev.fovea.image.Bilinear.resize(chw, h, w);
    }
}
