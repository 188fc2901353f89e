package dev.fovea.cli;

import dev.fovea.audit.report.Pictures;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.data.Npy;
import dev.fovea.explain.plane.PlaneFolding;
import dev.fovea.explain.plane.ToySet;
import dev.fovea.model.ModelFile;
import dev.fovea.tensor.Tensor;
import dev.fovea.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain plane}: trains a narrow ReLU network (2-unit hidden layers) and a wide one on a 2-D toy set
 * and draws how each layer of the narrow one moves and folds the plane, with the decision regions, as a PNG
 * sequence; the wide network's decision regions in the input plane are drawn for contrast.
 */
@Command(name = "plane", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How a small ReLU network folds the plane, layer by layer, on two moons or two spirals.",
                "Writes plane_NN_STAGE.png per layer, sequence.png, contrast.png, plane.json, points.npy, stages.npy and both models."})
public final class ExplainPlaneCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "moons", paramLabel = "SET", completionCandidates = Choices.ToySets.class,
            description = "Toy data set: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ToySet set;

    @Option(names = "--points", paramLabel = "N", defaultValue = "400", description = "Number of points, at most 100000 (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--noise", paramLabel = "SIGMA", defaultValue = "0.1", description = "Gaussian noise on the coordinates (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--widths", split = ",", defaultValue = "2,2,2", paramLabel = "WIDTH",
            description = "Hidden-layer widths of the network drawn layer by layer (default: ${DEFAULT-VALUE}).")
    int[] widths;

    @Option(names = "--wide", split = ",", defaultValue = "32,32", paramLabel = "WIDTH",
            description = "Hidden-layer widths of the wide network for contrast (default: ${DEFAULT-VALUE}).")
    int[] wide;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "200", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Mixin
    SeedOption seed;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        long seed = this.seed.seed;
        Dataset d = set.generate(points, noise, seed);
        PlaneFolding.Config narrowCfg = new PlaneFolding.Config(widths, epochs, lr, seed);
        PlaneFolding.Config wideCfg;
        try {
            wideCfg = new PlaneFolding.Config(wide, epochs, lr, seed);
        } catch (dev.fovea.method.InvalidOptionException e) {
            // Both networks' widths are "widths" to the library; this one came from --wide.
            throw e.option().equals("widths") ? new UsageException(e.getMessage().replaceFirst("^widths", "--wide")) : e;
        }
        out.open();
        PlaneFolding.Result narrow;
        PlaneFolding.Result wideR;
        try (Progress bar = Progress.start("plane", 2L * epochs, "epochs", verbosity.quiet)) {
            Trainer.Listener l = new Trainer.Listener() {
                @Override
                public void epoch(Trainer.EpochResult r) {
                    bar.step(1, String.format(Locale.ROOT, "loss %.3f", r.trainLoss()));
                }
            };
            narrow = PlaneFolding.run(d, narrowCfg, l);
            wideR = PlaneFolding.run(d, wideCfg, l);
        }
        String narrowName = "widths " + join(widths);
        String wideName = "widths " + join(wide);
        o.printf(Locale.ROOT, "%s: %s accuracy %.1f%%, %s accuracy %.1f%% (training set)%n", d.source(), narrowName, 100 * narrow.accuracy(),
                wideName, 100 * wideR.accuracy());
        List<BufferedImage> panels = new ArrayList<>();
        ObjectNode root = ExplainReports.summary("explain plane", seed, null, null, null);
        root.put("data", set.label()).put("points", points).put("noise", noise).put("epochs", epochs).put("lr", lr);
        ObjectNode n = root.putObject("narrow");
        widthsJson(n.putArray("widths"), widths);
        n.put("accuracy", narrow.accuracy());
        ArrayNode files = n.putArray("stages");
        int np = d.size();
        float[] stageCoords = new float[narrow.stages().size() * np * 2];
        for (int s = 0; s < narrow.stages().size(); s++) {
            PlaneFolding.Stage st = narrow.stages().get(s);
            String title = String.format(Locale.ROOT, "%d. %s", s, st.name()) + (s == 0 ? String.format(Locale.ROOT, "  (%s, acc %.0f%%)", narrowName,
                    100 * narrow.accuracy()) : "");
            BufferedImage p = PlanePictures.panel(st, d.labels(), d.classNames(), title);
            panels.add(p);
            String file = String.format(Locale.ROOT, "plane_%02d_%s.png", s, st.name().replace(' ', '_'));
            PlanePictures.write(out.resolve(file), p);
            files.addObject().put("stage", st.name()).put("file", file);
            System.arraycopy(st.points(), 0, stageCoords, s * np * 2, np * 2);
        }
        PlanePictures.write(out.resolve("sequence.png"), PlanePictures.montage(panels, 4));
        PlaneFolding.Stage wideIn = wideR.stages().get(0);
        PlanePictures.write(out.resolve("contrast.png"), PlanePictures.montage(List.of(
                PlanePictures.panel(narrow.stages().get(0), d.labels(), d.classNames(), String.format(Locale.ROOT, "%s: acc %.0f%%", narrowName, 100 * narrow.accuracy())),
                PlanePictures.panel(wideIn, d.labels(), d.classNames(), String.format(Locale.ROOT, "%s: acc %.0f%%", wideName, 100 * wideR.accuracy()))), 2));
        ObjectNode w = root.putObject("wide");
        widthsJson(w.putArray("widths"), wide);
        w.put("accuracy", wideR.accuracy());
        Npy.write(out.resolve("points.npy"), Tensor.of(d.images().data().clone(), np, 2));
        Npy.writeLabels(out.resolve("labels.npy"), d.labels());
        Npy.write(out.resolve("stages.npy"), Tensor.of(stageCoords, narrow.stages().size(), np, 2));
        ModelFile.save(narrow.network(), out.resolve("narrow.fovea"));
        ModelFile.save(wideR.network(), out.resolve("wide.fovea"));
        ExplainReports.write(out.resolve("plane.json"), root);
        out.commit();
        o.println("wrote " + out.dir() + " (" + panels.size() + " stages: plane_*.png, sequence.png, contrast.png, plane.json, points.npy, stages.npy)");
        o.flush();
        return Cli.OK;
    }

    private static String join(int[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            b.append(i == 0 ? "" : ",").append(w[i]);
        }
        return b.toString();
    }

    private static void widthsJson(ArrayNode a, int[] w) {
        for (int v : w) {
            a.add(v);
        }
    }
}
