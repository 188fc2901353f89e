package dev.fovea.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.audit.report.Pictures;
import dev.fovea.data.Npy;
import dev.fovea.model.Network;
import dev.fovea.nn.Conv2d;
import dev.fovea.nn.Layer;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain filters}: the first convolutional layer's filters as a montage (one-channel filters in the
 * diverging RdBu map on one common scale, so their strengths compare; three-channel ones as colour images, each
 * stretched), with the weights as {@code .npy}.
 */
@Command(name = "filters", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The first convolutional layer's filters as a montage (red positive, blue negative, one scale for all).",
                "Needs a .fovea model."})
public final class ExplainFiltersCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--layer", paramLabel = "NAME", description = "A convolutional layer (default: the first).")
    String layer;

    @Option(names = "--scale", paramLabel = "S", defaultValue = "12", description = "Screen pixels per weight (default: ${DEFAULT-VALUE}).")
    int scale;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (scale < 1 || scale > 64) {
            throw new UsageException("--scale must be in [1,64], got " + scale);
        }
        model.flags().requireNoRunner("filters reads the weights of the .fovea file, it runs no model");
        Network net = model.network("the filters of a TorchScript model are not reachable; filters needs a .fovea model");
        List<String> convs = new ArrayList<>();
        Conv2d conv = null;
        String name = null;
        for (Map.Entry<String, Layer> e : net.namedLayers()) {
            if (e.getValue() instanceof Conv2d c) {
                convs.add(e.getKey());
                if (conv == null && (layer == null || layer.equals(e.getKey()))) {
                    conv = c;
                    name = e.getKey();
                }
            }
        }
        if (conv == null) {
            throw new UsageException(convs.isEmpty() ? model.file() + " has no convolutional layer"
                    : "'" + layer + "' is not a convolutional layer (convolutional layers: " + String.join(", ", convs) + ")");
        }
        Tensor w = conv.weight().value();
        int o = w.dim(0);
        int c = w.dim(1);
        int k = w.dim(2);
        float max = 0;
        for (float v : w.data()) {
            max = Math.max(max, Math.abs(v));
        }
        List<Tensor> tiles = Pictures.filters(w);
        List<String> caps = new ArrayList<>();
        for (int f = 0; f < o; f++) {
            caps.add(Integer.toString(f));
        }
        out.open();
        ExplainReports.tiles(out.resolve("filters.png"), tiles, caps, 8, scale,
                String.format(Locale.ROOT, "layer %s: %d filters %dx%d (max |w| %.3f)", name, o, k, k, max));
        Npy.write(out.resolve("filters.npy"), w);
        ObjectNode root = ExplainReports.summary("explain filters", 0, model.file(), null, null);
        root.put("layer", name).put("filters", o).put("in_channels", c).put("kernel", k).put("max_abs_weight", max);
        ExplainReports.write(out.resolve("filters.json"), root);
        out.commit();
        spec.commandLine().getOut().printf(Locale.ROOT, "layer %s: %d filters of %dx%dx%d; wrote %s (filters.png, filters.npy, filters.json)%n",
                name, o, c, k, k, out.dir());
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }
}
