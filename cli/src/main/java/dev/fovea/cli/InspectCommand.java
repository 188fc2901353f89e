package dev.fovea.cli;

import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.ModelSetup;
import dev.fovea.model.Network;
import dev.fovea.model.ReceptiveField;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Param;
import dev.fovea.nn.Residual;
import dev.fovea.nn.Sequential;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea inspect}: each layer's name, type, output shape, parameter count and receptive field, and totals.
 * Receptive fields are {@link ReceptiveField}'s; in a residual block the body's, the wider path.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List a model's layers: type, output shape, parameters, receptive field; and totals.")
public final class InspectCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required modelOptions;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    /** The layer table, a row per layer as {@link #walk} reaches it. */
    private Table layers;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (!ModelFile.isFovea(modelOptions.file())) {
            try (Classifier c = modelOptions.open(1)) {
                ModelSetup setup = c.setup();
                out.printf(Locale.ROOT, "%s: TorchScript on %s, input %s, %d classes%n", modelOptions.file(), c.backend(), setup.shape(), c.classes());
                out.printf(Locale.ROOT, "normalisation: mean %s, std %s (mean from %s, std from %s)%n", java.util.Arrays.toString(setup.mean()),
                        java.util.Arrays.toString(setup.std()), setup.meanFrom().text(), setup.stdFrom().text());
                out.println("classes: " + String.join(", ", c.classNames()));
                out.println("layers: " + (c.layers().isEmpty() ? "none (the module exports no features/head methods)" : String.join(", ", c.layers())));
            }
            out.flush();
            return Cli.OK;
        }
        modelOptions.flags().requireNoMetadata(modelOptions.file());
        Network net = ModelFile.load(modelOptions.file());
        var info = net.info();
        out.printf(Locale.ROOT, "%s: %s, input %s, %d classes%n", modelOptions.file(), info.architecture().name(), info.inputShape(), info.classes());
        layers = Table.of(Table.left("layer"), Table.left("type"), Table.left("output"), Table.right("params"), Table.right("rf"));
        Shape in = info.inputShape().withBatch(1);
        int[] rf = {1, 1};
        walk(net.root(), "", in, rf, 0);
        layers.print(out);
        long macs = net.root().macs(in);
        out.printf(Locale.ROOT, "total: %,d parameters (%,d bytes as float32), %,d multiply-adds per image, receptive field %dx%d%n",
                net.parameterCount(), 4 * net.parameterCount(), macs, rf[0], rf[0]);
        var prov = info.provenance();
        if (prov != null && prov.size() > 0) {
            String accuracy = "; test accuracy "
                    + (prov.has("test_accuracy") ? String.format(Locale.ROOT, "%.2f%%", 100 * prov.get("test_accuracy").asDouble()) : "n/a");
            if (prov.has("source") && !prov.has("command")) {
                // a model converted from elsewhere: where it came from, and what made the file
                out.println("converted: " + prov.get("source").asText() + ", by " + prov.path("made_by").asText("?") + accuracy
                        + (prov.has("test_data") ? " (" + prov.get("test_data").asText() + ")" : ""));
            } else {
                out.println("trained: " + prov.path("command").asText("?") + accuracy + ", seed " + prov.path("seed").asText("?"));
            }
        }
        out.flush();
        return Cli.OK;
    }

    /** Prints rows for the children of {@code l}; updates {@code rf} = {receptive field, jump}; returns the output shape. */
    private Shape walk(Layer l, String prefix, Shape in, int[] rf, int depth) {
        Shape s = in;
        for (Layer.Child c : l.children()) {
            Layer layer = c.layer();
            String name = prefix + c.name();
            Shape o = layer.outputShape(s);
            if (layer instanceof Residual r) {
                row(name, "residual", o, 0, rf, depth);
                int[] body = rf.clone();
                walk(r.body(), name + ".body.", s, body, depth + 1);
                if (!r.shortcut().layers().isEmpty()) {
                    int[] sc = rf.clone();
                    walk(r.shortcut(), name + ".shortcut.", s, sc, depth + 1);
                }
                rf[0] = body[0];
                rf[1] = body[1];
            } else if (layer instanceof Sequential) {
                walk(layer, name + ".", s, rf, depth + 1);
            } else {
                ReceptiveField f = new ReceptiveField(rf[0], rf[1], 0).through(layer, s);
                rf[0] = f.size();
                rf[1] = f.jump();
                long params = 0;
                for (Param p : layer.params()) {
                    params += p.value().size();
                }
                row(name, layer.describe(), o, params, rf, depth);
            }
            s = o;
        }
        return s;
    }

    private void row(String name, String type, Shape o, long params, int[] rf, int depth) {
        String shape = o.tail().toString();
        layers.row("  ".repeat(depth) + name, type, shape, String.format(Locale.ROOT, "%,d", params), rf[0] + "x" + rf[0]);
    }
}
