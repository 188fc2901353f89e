package dev.fovea.audit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.Npy;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionResult;
import dev.fovea.image.Heatmaps;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an {@link ExplainRun}: {@code explain.json} (the method, its options as used, what was explained,
 * per sample the label, prediction and target by index and by class name, the score, the map's sum and largest
 * magnitude and the completeness delta where the method has one, provenance), {@code attributions.npy} (float32,
 * shaped as the method's kind says) and {@code grid.png}: input (with prediction and true label), heat map
 * (diverging colours for signed maps) and overlay for the first samples, each row with the colour bar of the scale
 * it was drawn at ({@link Scale}: each row its own by default, said in the picture's note).
 */
public record ExplainSection(ExplainRun.Result result) implements Section {
    /** Samples drawn in the grid. */
    public static final int GRID_ROWS = 8;

    /**
     * How the grid's heat maps are scaled: {@code PER_ROW}, each to the {@link Heatmaps#PERCENTILE}-th percentile of
     * its own {@code |value|} (every map uses its whole colour range, magnitudes do not compare across rows);
     * {@code SHARED}, all to that percentile over the rows drawn (magnitudes compare, weak maps look faint).
     */
    public enum Scale {
        PER_ROW, SHARED
    }

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public double seconds() {
        return result.seconds();
    }

    /** The completeness of a method that has it: the largest and mean |sum(attr) - (f(x) - f(baseline))|. */
    public record Completeness(double maxAbsDelta, double meanAbsDelta) {
    }

    /**
     * One sample of {@code explain.json}: its label (none for a lone image), prediction and target by class index and
     * by the model's class name.
     */
    public record SampleJson(int index, @JsonInclude(JsonInclude.Include.NON_NULL) Integer label,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String labelName, int prediction, String predictionName,
                             float confidence, int target, String targetName, double score, double sum, double maxAbs,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Double delta) {
    }

    /**
     * The whole of {@code explain.json}: the method, the shape of {@code attributions.npy} ({@code [N,C,H,W]} as an
     * array), the options as used, the samples asked for ({@code limit}, {@code perClass}: null when not given) and
     * used ({@code n}), and from the provenance the model, the data with their digests ({@link Provenance}), the
     * command line (null when the run was not started from one) and the versions.
     */
    public record ExplainJson(String method, String description, boolean signed, int[] mapsShape, Map<String, Object> options, String target,
                              long seed, int n, Integer limit, Integer perClass, String model, String modelSha256, String backend, String data,
                              String dataSha256, String labelsSha256, String subsetSha256, double seconds, String commandLine,
                              String foveaVersion, String javaVersion,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Completeness completeness, List<SampleJson> samples,
                              Provenance provenance) {
    }

    /**
     * The options as used: {@code score}, {@code batch_size}, the method's own record, the files tensor-valued
     * options were read from, and the layer a layer method read.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> options() {
        Map<String, Object> o = Json.MAPPER.convertValue(result.plan().config(), LinkedHashMap.class);
        var snake = new PropertyNamingStrategies.SnakeCaseStrategy();
        result.plan().sources().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> o.put(snake.translate(e.getKey()), e.getValue()));
        if (result.attribution().layer() != null) {
            o.put("layer", result.attribution().layer());
        }
        return o;
    }

    public List<SampleJson> samples() {
        AttributionResult r = result.attribution();
        int k = result.classNames().size();
        int per = r.maps().shape().sizeFrom(1);
        float[] maps = r.maps().data();
        List<SampleJson> out = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            double sum = 0;
            double abs = 0;
            for (int j = i * per; j < (i + 1) * per; j++) {
                sum += maps[j];
                abs = Math.max(abs, Math.abs(maps[j]));
            }
            int p = result.prediction()[i];
            int t = result.targets()[i];
            List<String> names = result.classNames();
            Integer label = result.labels() == null ? null : result.labels()[i];
            out.add(new SampleJson(i, label, label == null ? null : names.get(label), p, names.get(p), result.probability()[i * k + p], t,
                    names.get(t), r.scores()[i], sum, abs, r.hasDeltas() ? r.deltas()[i] : null));
        }
        return out;
    }

    @Override
    public ExplainJson json(Provenance p) {
        Attribution a = result.plan().method();
        AttributionResult r = result.attribution();
        return new ExplainJson(a.name(), a.describe(), a.signed(), r.maps().shape().dims(), options(), result.plan().target(),
                result.plan().config().seed(), result.size(), p.limit(), p.perClass(), p.model(), p.modelSha256(), p.backend(), p.data(),
                p.dataSha256(), p.labelsSha256(), p.subsetSha256(), result.seconds(), p.commandLine(), p.foveaVersion(), p.javaVersion(),
                r.hasDeltas() ? new Completeness(result.maxAbsDelta(), result.meanAbsDelta()) : null, samples(), p);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        Npy.write(dir.resolve("attributions.npy"), result.attribution().maps());
        Pictures.grid(dir.resolve("grid.png"), grid());
        return List.of("attributions.npy", "grid.png");
    }

    /** The grid of {@code grid.png}, each row on its own scale. */
    public Pictures.Grid grid() {
        return grid(Scale.PER_ROW);
    }

    /**
     * The grid of the first {@link #GRID_ROWS} samples: the input with the prediction, its confidence and the true
     * label (where the data has labels); the heat map with the method and the class explained; the overlay with the
     * score; at the row's end the colour bar of the scale the map was drawn at, {@code scale} saying which.
     */
    public Pictures.Grid grid(Scale scale) {
        Attribution a = result.plan().method();
        AttributionResult r = result.attribution();
        int k = result.classNames().size();
        List<String> names = result.classNames();
        Tensor x = result.images();
        int[] labels = result.labels();
        int[] pred = result.prediction();
        float[] prob = result.probability();
        int shown = Math.min(GRID_ROWS, result.size());
        List<Tensor> maps = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            Tensor map = r.maps().slice(i, i + 1);
            maps.add(map.reshape(map.shape().tail()));
        }
        double shared = scale == Scale.SHARED ? Heatmaps.scale(maps) : 0;
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        List<Pictures.ColourBar> bars = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            Tensor img = x.slice(i, i + 1).reshape(x.shape().tail());
            Tensor map = maps.get(i);
            double s = scale == Scale.SHARED ? shared : Heatmaps.scale(map);
            String truth = labels == null ? "" : "\nlabel " + names.get(labels[i]) + (labels[i] == pred[i] ? "" : " (wrong)");
            rows.add(List.of(img, Heatmaps.colour(map, a.signed(), s), Heatmaps.overlay(img, map, a.signed(), 0.8, s)));
            caps.add(List.of(String.format(Locale.ROOT, "%s %.0f%%%s", names.get(pred[i]), 100 * prob[i * k + pred[i]], truth),
                    a.name() + "\nfor " + names.get(result.targets()[i]),
                    String.format(Locale.ROOT, "score %.3g", r.scores()[i])));
            bars.add(Pictures.ColourBar.of(a.signed(), s));
        }
        String range = a.signed() ? "-v (blue) to +v (red)" : "0 to v";
        String how = scale == Scale.SHARED ? "all rows share one v" : "each row has its own v";
        String note = String.format(Locale.ROOT, "colours span %s, v the %.0fth percentile of |value| (larger values take the end colour); %s,"
                + " printed on its bar", range, Heatmaps.PERCENTILE, how);
        String title = String.format(Locale.ROOT, "%s: the first %d of %d images", a.name(), shown, result.size());
        return new Pictures.Grid(title, note, List.of("image", "attribution", "overlay"), rows, caps, bars, 4);
    }
}
