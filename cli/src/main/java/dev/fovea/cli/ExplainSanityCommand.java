package dev.fovea.cli;

import dev.fovea.audit.report.Pictures;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.Targets;
import dev.fovea.explain.trust.ModelRandomization;
import dev.fovea.image.Heatmaps;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code fovea explain sanity}: the cascading model-randomisation check of Adebayo et al. (2018) for a list of
 * methods; per method and randomised layer the mean rank correlations and SSIM, a chart and a grid of maps.
 */
@Command(name = "sanity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Model-randomisation sanity check (Adebayo et al. 2018): do the maps change with the weights?",
                "Re-initialise layers from the top down and measure how far each method's maps move (Spearman rank correlation, SSIM). "
                        + "Needs a .fovea model."})
public final class ExplainSanityCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Images to explain.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TrustOptions trust;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<Attribution> methods = trust.methods();
        Network net = model.network("a TorchScript model cannot be randomised (its weights are not reachable); "
                + "the sanity check needs a .fovea model");
        ModelLoader.Options options = model.options(trust.batch.size());
        Function<Network, Classifier> open = n -> {
            try {
                return ModelLoader.open(n, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Dataset d;
        int[] targets;
        String backend;
        try (Classifier m = open.apply(net)) {
            backend = m.backend();
            d = dataOptions.load(data, m);
            targets = Targets.resolve(trust.target, m, d.images(), d.labels());
        }
        out.open();
        int steps = ModelRandomization.parameterLayers(net).size();
        o.printf(Locale.ROOT, "sanity check on %s (%s): %d images, %d layers randomised from the top, methods %s%n", model.file().getFileName(), backend,
                d.size(), steps, String.join(", ", methods.stream().map(Attribution::name).toList()));
        o.flush();
        ModelRandomization.Result r;
        try (Progress bar = Progress.start("sanity", steps, "layers", verbosity.quiet)) {
            r = ModelRandomization.run(net, open, methods, trust::config, d.images(), targets, trust.seed.seed, (s, total, layer) -> bar.step(1, layer));
        }
        ObjectNode root = ExplainReports.summary("explain sanity", trust.seed.seed, model.file(), null, d);
        root.put("backend", backend);
        root.put("target", trust.target);
        ArrayNode cascade = root.putArray("cascade");
        r.layers().forEach(cascade::add);
        ObjectNode per = root.putObject("methods");
        List<String> names = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        StringBuilder csv = new StringBuilder("method,step,layer,spearman_abs,spearman_signed,ssim\n");
        Table table = Table.of(Table.left("method", 22), Table.left("randomised", 12), Table.right("rank |.|", 10), Table.right("rank", 10),
                Table.right("SSIM", 8)).gap(1);
        for (int j = 0; j < methods.size(); j++) {
            ArrayNode rows = per.putArray(r.methods().get(j));
            double[] x = new double[steps];
            double[] y = new double[steps];
            for (int s = 0; s < steps; s++) {
                double a = ModelRandomization.Result.mean(r.spearmanAbs(), j, s);
                double b = ModelRandomization.Result.mean(r.spearmanSigned(), j, s);
                double c = ModelRandomization.Result.mean(r.ssim(), j, s);
                rows.addObject().put("layer", r.layers().get(s)).put("spearman_abs", a).put("spearman_signed", b).put("ssim", c);
                csv.append(String.format(Locale.ROOT, "%s,%d,%s,%.6f,%.6f,%.6f%n", r.methods().get(j), s + 1, r.layers().get(s), a, b, c));
                x[s] = s + 1;
                y[s] = a;
                if (s == 0 || s == steps - 1) {
                    table.row(r.methods().get(j), "up to " + r.layers().get(s), String.format(Locale.ROOT, "%.3f", a),
                            String.format(Locale.ROOT, "%.3f", b), String.format(Locale.ROOT, "%.3f", c));
                }
            }
            names.add(r.methods().get(j));
            xs.add(x);
            ys.add(y);
            Npy.write(out.resolve("maps_" + r.methods().get(j) + ".npy"), stack(r.maps()[j]));
        }
        table.print(o);
        byte[] bytes = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.fovea.io.AtomicFiles.write(out.resolve("sanity.csv"), os -> os.write(bytes));
        Pictures.lineChart(out.resolve("sanity.png"), "Model randomisation, top layer first (" + model.file().getFileName() + ")",
                "layers randomised", "rank correlation of |map| with the original", names, xs, ys);
        grid(out.resolve("maps.png"), methods, r, d.images());
        ExplainReports.write(out.resolve("sanity.json"), root);
        out.commit();
        o.println("wrote " + out.dir() + " (sanity.json, sanity.csv, sanity.png, maps.png, maps_METHOD.npy [steps+1,N,C,H,W])");
        o.flush();
        return Cli.OK;
    }

    /** {@code [steps+1, N, C, H, W]}: the maps on the trained model, then after each step. */
    private static Tensor stack(Tensor[] maps) {
        int per = maps[0].size();
        float[] d = new float[maps.length * per];
        for (int s = 0; s < maps.length; s++) {
            System.arraycopy(maps[s].data(), 0, d, s * per, per);
        }
        int[] dims = maps[0].shape().dims();
        int[] all = new int[dims.length + 1];
        all[0] = maps.length;
        System.arraycopy(dims, 0, all, 1, dims.length);
        return Tensor.of(d, all);
    }

    /** For the first image: a row per method, the input, the original map, then the map after each step. */
    private static void grid(Path file, List<Attribution> methods, ModelRandomization.Result r, Tensor x) throws IOException {
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        Tensor img = ExplainReports.sample(x, 0);
        for (int j = 0; j < methods.size(); j++) {
            List<Tensor> row = new ArrayList<>();
            List<String> cap = new ArrayList<>();
            row.add(Heatmaps.overlay(img, Heatmaps.colour(img, false), 0));
            cap.add(methods.get(j).name() + "\ninput");
            for (int s = 0; s < r.maps()[j].length; s++) {
                Tensor map = ExplainReports.sample(r.maps()[j][s], 0);
                row.add(Heatmaps.colour(map, methods.get(j).signed()));
                String scale = String.format(Locale.ROOT, "v %.3g", Heatmaps.scale(map));
                cap.add(s == 0 ? "trained\n" + scale
                        : String.format(Locale.ROOT, "to %s%nrank of |map| %.2f%n%s", r.layers().get(s - 1), r.spearmanAbs()[j][s - 1][0], scale));
            }
            rows.add(row);
            caps.add(cap);
        }
        Pictures.grid(file, new Pictures.Grid("model randomisation of the first image, top layer first",
                "each map on its own scale: v, its 99th percentile of |value|, under it (signed maps -v blue to +v red, others 0 to v)", null,
                rows, caps, null, 3));
    }
}
