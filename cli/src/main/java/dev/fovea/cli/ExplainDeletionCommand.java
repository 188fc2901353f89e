package dev.fovea.cli;

import dev.fovea.audit.report.Pictures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.Targets;
import dev.fovea.explain.trust.DeletionCurve;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain deletion}: deletion and insertion curves (Petsiuk et al. 2018) with their AUC for a list of
 * methods and, for contrast, a random ranking of the pixels.
 */
@Command(name = "deletion", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletion and insertion curves of attribution maps (RISE, Petsiuk et al. 2018).",
                "Remove (or insert) pixels in the order of the attribution and follow the target's probability; lower deletion AUC and "
                        + "higher insertion AUC are better."})
public final class ExplainDeletionCommand implements Callable<Integer> {
    /** A curve's line, printed as soon as it is measured: mode, method, area under the curve. */
    private static final Table AUC = Table.of(Table.left("", 9), Table.left("", 22), Table.left("")).gap(1).indent(2);

    /** The curves {@code --mode} asks for. */
    enum Curves {
        DELETION, INSERTION, BOTH;

        List<DeletionCurve.Mode> modes() {
            return switch (this) {
                case DELETION -> List.of(DeletionCurve.Mode.DELETION);
                case INSERTION -> List.of(DeletionCurve.Mode.INSERTION);
                case BOTH -> List.of(DeletionCurve.Mode.DELETION, DeletionCurve.Mode.INSERTION);
            };
        }
    }

    @Mixin
    ModelOptions.Required model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Images to explain.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TrustOptions trust;

    @Option(names = "--mode", defaultValue = "both", paramLabel = "MODE", completionCandidates = Choices.Curves.class,
            description = "Curves to draw: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Curves mode;

    @Option(names = "--canvas", paramLabel = "CANVAS", completionCandidates = Choices.Canvases.class,
            description = "What deleted pixels become / inserted pixels start from: ${COMPLETION-CANDIDATES} "
                    + "(default: black for deletion, blur for insertion).")
    DeletionCurve.Canvas canvas;

    @Option(names = "--points", paramLabel = "N", defaultValue = "28", description = "Steps of the curve (default: ${DEFAULT-VALUE}).")
    int points;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<DeletionCurve.Mode> modes = mode.modes();
        List<Attribution> methods = trust.methods();
        try (Classifier m = model.open(trust.batch.size())) {
            int hw = m.inputShape().dim(1) * m.inputShape().dim(2);
            if (points < 1 || points > hw) {
                throw new UsageException("--points must be in [1," + hw + "], got " + points);
            }
            Dataset d = dataOptions.load(data, m);
            Tensor x = d.images();
            int[] targets = Targets.resolve(trust.target, m, x, d.labels());
            out.open();
            ObjectNode root = ExplainReports.summary("explain deletion", trust.seed.seed, model.file(), m, d);
            root.put("target", trust.target).put("points", points);
            ObjectNode res = root.putObject("auc");
            List<String> names = new ArrayList<>();
            for (Attribution a : methods) {
                names.add(a.name());
            }
            names.add("random");
            List<Tensor> maps = new ArrayList<>();
            try (Progress bar = Progress.start("deletion", (long) names.size() * modes.size(), "curves", verbosity.quiet)) {
                for (Attribution a : methods) {
                    maps.add(a.attribute(m, x, targets, trust.config(a)).maps());
                }
                maps.add(DeletionCurve.randomMaps(x, trust.seed.seed));
                o.printf(Locale.ROOT, "%s on %s (%d images, %s)%n", String.join(" and ", modes.stream().map(v -> v.name().toLowerCase(Locale.ROOT)).toList()),
                        model.file().getFileName(), d.size(), m.backend());
                for (DeletionCurve.Mode md : modes) {
                    String key = md.name().toLowerCase(Locale.ROOT);
                    DeletionCurve.Canvas cv = canvas != null ? canvas : md.defaultCanvas();
                    List<double[]> xs = new ArrayList<>();
                    List<double[]> ys = new ArrayList<>();
                    ObjectNode per = res.putObject(key);
                    per.put("canvas", cv.name().toLowerCase(Locale.ROOT));
                    for (int j = 0; j < names.size(); j++) {
                        DeletionCurve.Result r = DeletionCurve.run(m, x, maps.get(j), targets, md, cv, points);
                        per.put(names.get(j), r.meanAuc());
                        xs.add(r.fractions());
                        ys.add(r.meanCurve());
                        float[] curves = new float[r.probabilities().length * r.fractions().length];
                        for (int i = 0; i < r.probabilities().length; i++) {
                            for (int s = 0; s < r.fractions().length; s++) {
                                curves[i * r.fractions().length + s] = (float) r.probabilities()[i][s];
                            }
                        }
                        Npy.write(out.resolve(key + "_" + names.get(j) + ".npy"), Tensor.of(curves, r.probabilities().length, r.fractions().length));
                        o.println(AUC.line(key, names.get(j), String.format(Locale.ROOT, "AUC %.4f", r.meanAuc())));
                        o.flush();
                        bar.step(1, key + " " + names.get(j));
                    }
                    Pictures.lineChart(out.resolve(key + ".png"), key + " curves on " + model.file().getFileName() + " (" + cv.name().toLowerCase(Locale.ROOT)
                            + " canvas)", "fraction of pixels " + (md == DeletionCurve.Mode.DELETION ? "deleted" : "inserted"),
                            "target probability", names, xs, ys, 0, 1);
                }
            }
            ExplainReports.write(out.resolve("deletion.json"), root);
            out.commit();
            o.println("wrote " + out.dir() + " (deletion.json, " + String.join(", ", modes.stream().map(v -> v.name().toLowerCase(Locale.ROOT) + ".png").toList())
                    + ", per-sample curves as .npy [N,points+1])");
            o.flush();
        }
        return Cli.OK;
    }
}
