package dev.fovea.audit.report;

import dev.fovea.audit.run.ExplainRobustnessRun;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.trust.Fragility;
import dev.fovea.image.Heatmaps;
import dev.fovea.io.AtomicFiles;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an {@link ExplainRobustnessRun}: {@code robustness.json} (the perturbation and its largest L-inf
 * distance, the samples kept, {@code k}, per method its options and the mean rank correlation and top-k
 * intersection over the kept samples, with the per-sample values, {@code null} for samples left out; provenance),
 * {@code robustness.csv} (one row per method and sample, the predictions by index and by name) and
 * {@code robustness.png}: for the first kept samples, the image and its perturbed copy, then each method's map before
 * and after, the two on one scale ({@link #grid}).
 */
public record ExplainRobustnessSection(ExplainRobustnessRun.Result result) implements Section {
    /** Samples drawn in the picture. */
    public static final int GRID_ROWS = 4;

    @Override
    public String name() {
        return "robustness";
    }

    @Override
    public double seconds() {
        return result.seconds();
    }

    /** One method's numbers; per-sample lists hold {@code null} where the sample was left out. */
    public record MethodJson(String method, Map<String, Object> options, double meanSpearman, double meanTopK, List<Double> spearman, List<Double> topK) {
    }

    /** The whole of {@code robustness.json}. */
    public record RobustnessJson(String perturbation, Map<String, Object> perturbationOptions, double linf, int n, int kept, double topFraction, int k,
                                 List<MethodJson> methods, Provenance provenance) {
    }

    @SuppressWarnings("unchecked")
    public List<MethodJson> methods() {
        Fragility.Result f = result.fragility();
        List<MethodJson> out = new ArrayList<>();
        for (int j = 0; j < f.methods().size(); j++) {
            Map<String, Object> o = Json.MAPPER.convertValue(result.plan().configs().get(j), LinkedHashMap.class);
            out.add(new MethodJson(f.methods().get(j), o, Fragility.Result.mean(f.spearman(), j), Fragility.Result.mean(f.topK(), j),
                    boxed(f.spearman()[j]), boxed(f.topK()[j])));
        }
        return out;
    }

    /** A CSV cell: empty for a sample left out, else six decimals. */
    private static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double d : v) {
            out.add(Double.isNaN(d) ? null : d);
        }
        return out;
    }

    @Override
    public RobustnessJson json(Provenance p) {
        ExplainRobustnessRun plan = result.plan();
        return new RobustnessJson(plan.perturbation().describe(), plan.perturbation().options(), result.linf(), result.size(),
                result.fragility().keptCount(), plan.topFraction(), result.fragility().k(), methods(), p);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        Fragility.Result f = result.fragility();
        StringBuilder csv = new StringBuilder("method,sample,prediction,perturbed_prediction,kept,spearman,top_k,prediction_name,"
                + "perturbed_prediction_name\n");
        List<String> names = result.classNames();
        for (int j = 0; j < f.methods().size(); j++) {
            for (int i = 0; i < result.size(); i++) {
                csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%b,%s,%s,%s,%s%n", f.methods().get(j), i, result.prediction()[i],
                        result.perturbedPrediction()[i], f.kept()[i], cell(f.spearman()[j][i]), cell(f.topK()[j][i]),
                        Format.csv(names.get(result.prediction()[i])), Format.csv(names.get(result.perturbedPrediction()[i]))));
            }
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("robustness.csv"), out -> out.write(bytes));
        picture(dir.resolve("robustness.png"));
        return List.of("robustness.csv", "robustness.png");
    }

    private void picture(Path file) throws IOException {
        Pictures.grid(file, grid());
    }

    /**
     * The picture's grid: for the first {@link #GRID_ROWS} kept samples the image and its perturbed copy with their
     * predictions, then each method's map before and after the perturbation, the two drawn on one scale (the
     * {@link Heatmaps#PERCENTILE}-th percentile of |value| over both, given under the first) so that a change of
     * strength shows.
     */
    public Pictures.Grid grid() {
        Fragility.Result f = result.fragility();
        List<Attribution> methods = result.plan().methods();
        List<String> names = result.classNames();
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        for (int i = 0; i < result.size() && rows.size() < GRID_ROWS; i++) {
            if (!f.kept()[i]) {
                continue;
            }
            List<Tensor> row = new ArrayList<>();
            List<String> cap = new ArrayList<>();
            row.add(sample(result.images(), i));
            cap.add("image " + i + "\n" + names.get(result.prediction()[i]));
            row.add(sample(result.perturbed(), i));
            cap.add("perturbed\n" + names.get(result.perturbedPrediction()[i]));
            for (int j = 0; j < methods.size(); j++) {
                boolean signed = methods.get(j).signed();
                Tensor before = sample(f.original()[j], i);
                Tensor after = sample(f.perturbed()[j], i);
                double v = Heatmaps.scale(List.of(before, after));
                row.add(Heatmaps.colour(before, signed, v));
                cap.add(String.format(Locale.ROOT, "%s%nv %.3g", methods.get(j).name(), v));
                row.add(Heatmaps.colour(after, signed, v));
                cap.add(String.format(Locale.ROOT, "rank %.2f%ntop-k %.2f", f.spearman()[j][i], f.topK()[j][i]));
            }
            rows.add(row);
            caps.add(cap);
        }
        List<String> headers = new ArrayList<>(List.of("image", "perturbed"));
        for (Attribution a : methods) {
            headers.add("map before");
            headers.add("map after");
        }
        String note = "a method's maps before and after share one scale v, the 99th percentile of |value| over both: viridis from 0 to v,"
                + " or blue -v to red +v for signed maps; under the map after, its rank correlation and top-k agreement with the map before";
        return new Pictures.Grid(String.format(Locale.ROOT, "attributions before and after a perturbation of L-inf %.3g", result.linf()), note, headers,
                rows, caps, null, 3);
    }

    private static Tensor sample(Tensor t, int i) {
        Tensor s = t.slice(i, i + 1);
        return s.reshape(s.shape().tail());
    }
}
