package dev.fovea.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.ReceptiveField;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain top}: the {@code k} images of a data set that most excite one channel of a layer (by the
 * channel's largest activation over positions), each with the receptive field of the strongest unit highlighted
 * ({@link ReceptiveField}, as {@code fovea inspect} computes it; the whole image for TorchScript layers and
 * layers without positions).
 */
@Command(name = "top", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The k images that most excite a channel, with the receptive field of the strongest unit highlighted.")
public final class ExplainTopCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--layer", required = true, paramLabel = "NAME", description = "Layer (see 'fovea inspect').")
    String layer;

    @Option(names = "--channel", paramLabel = "C", required = true, description = "Channel of the layer.")
    int channel;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Images to search.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "-k", paramLabel = "K", defaultValue = "9", description = "How many images (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    BatchOptions batch;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new UsageException("-k must be at least 1, got " + k);
        }
        int batchSize = batch.size();
        try (Classifier m = model.open(batchSize)) {
            if (!m.layers().contains(layer)) {
                throw new UsageException("unknown layer '" + layer + "' (layers: " + String.join(", ", m.layers()) + ")");
            }
            Shape in = m.inputShape();
            Shape probe = m.activations(Tensor.zeros(in.withBatch(1)), layer).shape();
            if (channel < 0 || channel >= probe.dim(1)) {
                throw new UsageException("--channel must be in [0," + probe.dim(1) + ") for layer " + layer + " " + probe.tail() + ", got " + channel);
            }
            ReceptiveField rf = !ModelFile.isFovea(model.file()) || probe.rank() != 4 ? null : ReceptiveField.of(ModelFile.load(model.file())).get(layer);
            out.open();
            Dataset d = dataOptions.load(data, m);
            int n = d.size();
            double[] best = new double[n];
            int[] where = new int[n];
            int h = probe.rank() == 4 ? probe.dim(2) : 1;
            int w = probe.rank() == 4 ? probe.dim(3) : 1;
            try (Progress bar = Progress.start("top", n, "img", verbosity.quiet)) {
                for (int from = 0; from < n; from += batchSize) {
                    int to = Math.min(n, from + batchSize);
                    Tensor a = m.activations(d.images().slice(from, to), layer);
                    int per = a.shape().sizeFrom(1);
                    for (int i = from; i < to; i++) {
                        int o = (i - from) * per + channel * h * w;
                        best[i] = Double.NEGATIVE_INFINITY;
                        for (int p = 0; p < h * w; p++) {
                            if (a.data()[o + p] > best[i]) {
                                best[i] = a.data()[o + p];
                                where[i] = p;
                            }
                        }
                    }
                    bar.step(to - from, null);
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> best[a] != best[b] ? Double.compare(best[b], best[a]) : Integer.compare(a, b));
            int kk = Math.min(k, n);
            ObjectNode root = ExplainReports.summary("explain top", 0, model.file(), m, d);
            root.put("layer", layer).put("channel", channel).put("k", kk);
            if (rf != null) {
                root.putObject("receptive_field").put("size", rf.size()).put("jump", rf.jump()).put("start", rf.start());
            }
            ArrayNode items = root.putArray("top");
            List<Tensor> tiles = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            int[] idx = new int[kk];
            int ih = in.dim(1);
            int iw = in.dim(2);
            for (int j = 0; j < kk; j++) {
                int i = order[j];
                idx[j] = i;
                int row = where[i] / w;
                int col = where[i] % w;
                int[] box = rf == null ? new int[] {0, 0, ih - 1, iw - 1} : rf.box(row, col, ih, iw);
                items.addObject().put("index", i).put("label", d.classNames().get(d.labels()[i])).put("activation", best[i]).put("row", row)
                        .put("col", col).putArray("box").add(box[0]).add(box[1]).add(box[2]).add(box[3]);
                tiles.add(highlight(ExplainReports.sample(d.images(), i), box));
                caps.add(String.format(Locale.ROOT, "#%d %s %.2f", i, d.classNames().get(d.labels()[i]), best[i]));
            }
            Npy.write(out.resolve("top.npy"), d.images().gather(idx));
            ExplainReports.tiles(out.resolve("top.png"), tiles, caps, Math.min(kk, 5), 4, String.format(Locale.ROOT,
                    "layer %s channel %d: top %d of %d images%s", layer, channel, kk, n, rf == null ? "" : ", receptive field " + rf.size() + "x" + rf.size()));
            ExplainReports.write(out.resolve("top.json"), root);
            out.commit();
            spec.commandLine().getOut().printf(Locale.ROOT, "layer %s channel %d: top activation %.3f (image %d); wrote %s (top.png, top.npy, top.json)%n",
                    layer, channel, best[order[0]], order[0], out.dir());
            spec.commandLine().getOut().flush();
        }
        return Cli.OK;
    }

    /** The image in grey, dimmed outside the box, with the box outlined in orange; {@code [3,H,W]}. */
    static Tensor highlight(Tensor chw, int[] box) {
        int c = chw.dim(0);
        int h = chw.dim(1);
        int w = chw.dim(2);
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float g = 0;
                for (int ch = 0; ch < c; ch++) {
                    g += chw.data()[(ch * h + y) * w + x];
                }
                g /= c;
                boolean inside = y >= box[0] && y <= box[2] && x >= box[1] && x <= box[3];
                boolean edge = inside && (y == box[0] || y == box[2] || x == box[1] || x == box[3]);
                float v = inside ? g : 0.35f * g;
                float[] rgb = edge ? new float[] {1f, 0.5f, 0.05f} : new float[] {v, v, v};
                for (int k = 0; k < 3; k++) {
                    out[(k * h + y) * w + x] = rgb[k];
                }
            }
        }
        return new Tensor(Shape.of(3, h, w), out);
    }
}
