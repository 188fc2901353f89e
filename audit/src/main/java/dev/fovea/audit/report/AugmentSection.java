package dev.fovea.audit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Family;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a {@link CorruptionRun}: {@code augment.json} (clean accuracy; per corruption its family, suite,
 * description, parameters and per severity accuracy, error, flip rate and change of the true class's probability;
 * its mean error, error increase and ratio over the clean error, and with a reference its CE and relative CE; the
 * mean corruption errors of the benchmark and of the extras; the corruptions ranked worst first; the timing;
 * provenance), {@code augment.csv} (tidy: one row per corruption, severity and metric), one example grid per kept
 * image ({@code examples_K.png}: a row per corruption, columns clean and each severity, the prediction under each,
 * green where right and red where wrong) and a chart of accuracy against severity per family
 * ({@code accuracy_FAMILY.png}, severity 0 being the clean images). {@link #reference(Path)} reads an
 * {@code augment.json} back as a {@link CorruptionRun.Reference}.
 *
 * @param modelName the model's file name, for chart titles
 */
public record AugmentSection(CorruptionRun.Result result, String modelName) implements Section {
    /** The CSV's header. */
    public static final String CSV_HEADER = "corruption,family,suite,severity,metric,value";
    static final Color RIGHT = new Color(0x1A7F37);
    static final Color WRONG = new Color(0xCF222E);

    @Override
    public String name() {
        return "augment";
    }

    @Override
    public double seconds() {
        return result.seconds();
    }

    /** One severity of a corruption. */
    public record SeverityJson(int severity, String parameters, double accuracy, double error, double flipRate, double trueClassProbabilityChange) {
    }

    /** One corruption over its severities. */
    public record CorruptionJson(String name, String family, String suite, boolean graded, boolean colourOnly, boolean random, String description,
                                 List<SeverityJson> severities, double meanAccuracy, double meanError, double errorIncrease, Double errorRatio,
                                 double meanFlipRate, Double ce, Double relativeCe, double corruptingSeconds) {
    }

    /** A suite's means ({@code mce} and {@code relative_mce} with a reference only). */
    public record MceJson(String suite, List<String> corruptions, Double meanError, Double mce, Double relativeMce, List<String> notInReference) {
    }

    /** The reference result the normalised errors are relative to. */
    public record ReferenceJson(String source, double cleanError) {
    }

    /** One place in the ranking, worst first. */
    public record WorstJson(int rank, String corruption, String family, double meanError, double meanAccuracy) {
    }

    /** Where the time went. */
    public record TimingJson(double corruptingSeconds, double modelSeconds, double waitingSeconds, double wallSeconds, long imagesClassified,
                             double imagesPerSecond, double corruptingShare) {
    }

    /** The whole of {@code augment.json}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AugmentJson(int n, List<Integer> imageShape, long seed, List<Integer> severities, double cleanAccuracy, double cleanError,
                              List<CorruptionJson> corruptions, MceJson benchmark, MceJson extra, ReferenceJson reference, List<WorstJson> worst,
                              TimingJson timing, List<String> files, String model, String modelSha256, String backend, String data,
                              String dataSha256, String foveaVersion, Provenance provenance) {
    }

    public List<CorruptionJson> corruptions() {
        List<CorruptionJson> out = new ArrayList<>();
        Shape in = result.inputShape();
        List<Corruption<?>> plan = result.plan().corruptions();
        for (int i = 0; i < plan.size(); i++) {
            Corruption<?> c = plan.get(i);
            CorruptionRun.Summary s = result.corruptions().get(i);
            List<SeverityJson> sev = new ArrayList<>();
            for (CorruptionRun.Cell cell : s.cells()) {
                sev.add(new SeverityJson(cell.severity(), c.describeParameters(cell.severity(), in.dim(1), in.dim(2)), cell.accuracy(), cell.error(),
                        cell.flipRate(), cell.trueClassProbabilityChange()));
            }
            out.add(new CorruptionJson(c.name(), c.family().label(), c.suite().label(), c.graded(), c.colourOnly(), c.random(), c.describe(), sev,
                    s.meanAccuracy(), s.meanError(), s.errorIncrease(), s.errorRatio(), s.meanFlipRate(), s.ce(), s.relativeCe(), s.corruptingSeconds()));
        }
        return out;
    }

    private static MceJson mce(CorruptionRun.Mce m) {
        return new MceJson(m.suite().label(), m.corruptions(), m.meanError(), m.mce(), m.relativeMce(), m.notInReference());
    }

    public List<WorstJson> worst() {
        List<WorstJson> out = new ArrayList<>();
        int rank = 1;
        for (CorruptionRun.Summary s : result.worst()) {
            out.add(new WorstJson(rank++, s.corruption(), s.family().label(), s.meanError(), s.meanAccuracy()));
        }
        return out;
    }

    @Override
    public AugmentJson json(Provenance p) {
        CorruptionRun plan = result.plan();
        CorruptionRun.Timing t = result.timing();
        CorruptionRun.Reference ref = plan.reference();
        return new AugmentJson(result.size(), Arrays.stream(result.inputShape().dims()).boxed().toList(), plan.seed(), plan.severities(),
                result.cleanAccuracy(), result.cleanError(), corruptions(), mce(result.benchmark()), mce(result.extra()),
                ref == null ? null : new ReferenceJson(ref.source(), ref.cleanError()), worst(),
                new TimingJson(t.corruptingSeconds(), t.modelSeconds(), t.waitingSeconds(), t.wallSeconds(), t.imagesClassified(),
                        t.imagesPerSecond(), t.corruptingShare()), files(), p.model(), p.modelSha256(), p.backend(), p.data(), p.dataSha256(),
                p.foveaVersion(), p);
    }

    /** The files {@link #writeFiles} writes besides {@code augment.json}. */
    public List<String> files() {
        List<String> f = new ArrayList<>();
        f.add("augment.csv");
        for (int i = 0; i < result.cleanExamples().dim(0); i++) {
            f.add("examples_" + i + ".png");
        }
        for (Family fam : families()) {
            f.add("accuracy_" + fam.label() + ".png");
        }
        return f;
    }

    private List<Family> families() {
        return result.corruptions().stream().map(CorruptionRun.Summary::family).distinct().sorted().toList();
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        byte[] csv = csv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("augment.csv"), os -> os.write(csv));
        writeGrids(dir);
        for (Family fam : families()) {
            chart(dir.resolve("accuracy_" + fam.label() + ".png"), fam);
        }
        return files();
    }

    /** Writes only the example grids, {@code examples_K.png} (a row per corruption, the severities across); returns their names. */
    public List<String> writeGrids(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < result.cleanExamples().dim(0); i++) {
            grid(dir.resolve("examples_" + i + ".png"), i);
            names.add("examples_" + i + ".png");
        }
        return names;
    }

    /**
     * {@code corruption,family,suite,severity,metric,value}: the clean images as corruption {@code clean} at
     * severity 0 (accuracy, error), then every corruption and severity run (accuracy, error, flip_rate,
     * true_class_probability_change).
     */
    public String csv() {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        row(b, "clean", "", "", 0, "accuracy", result.cleanAccuracy());
        row(b, "clean", "", "", 0, "error", result.cleanError());
        for (CorruptionRun.Summary s : result.corruptions()) {
            for (CorruptionRun.Cell c : s.cells()) {
                String f = s.family().label();
                String su = s.suite().label();
                row(b, s.corruption(), f, su, c.severity(), "accuracy", c.accuracy());
                row(b, s.corruption(), f, su, c.severity(), "error", c.error());
                row(b, s.corruption(), f, su, c.severity(), "flip_rate", c.flipRate());
                row(b, s.corruption(), f, su, c.severity(), "true_class_probability_change", c.trueClassProbabilityChange());
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String corruption, String family, String suite, int severity, String metric, double value) {
        b.append(cell(corruption)).append(',').append(family).append(',').append(suite).append(',').append(severity).append(',').append(metric)
                .append(',').append(value).append('\n');
    }

    /** A CSV field, quoted where it holds a comma, a quote or a line break (RFC 4180). */
    static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Example {@code i}: one row per corruption, columns clean and the plan's severities. */
    private void grid(Path file, int i) throws IOException {
        List<Integer> sev = result.plan().severities();
        List<String> cols = new ArrayList<>();
        cols.add("clean");
        sev.forEach(s -> cols.add("severity " + s));
        List<String> labels = result.classNames();
        int k = labels.size();
        int y = result.labels()[i];
        Shape shape = result.inputShape();
        int per = shape.size();
        Tensor clean = result.cleanExamples();
        Tensor cleanImage = new Tensor(shape, Arrays.copyOfRange(clean.data(), i * per, (i + 1) * per));
        int cp = result.cleanPrediction()[i];
        String cleanCaption = caption(labels.get(cp), result.cleanProbability()[i * k + cp]);
        Color cleanColour = cp == y ? RIGHT : WRONG;
        List<String> rowLabels = new ArrayList<>();
        List<List<Tensor>> images = new ArrayList<>();
        List<List<String>> captions = new ArrayList<>();
        List<List<Color>> colours = new ArrayList<>();
        for (CorruptionRun.Summary s : result.corruptions()) {
            rowLabels.add(s.corruption());
            List<Tensor> ri = new ArrayList<>();
            List<String> rc = new ArrayList<>();
            List<Color> rk = new ArrayList<>();
            ri.add(cleanImage);
            rc.add(cleanCaption);
            rk.add(cleanColour);
            for (int sv : sev) {
                CorruptionRun.Cell c = s.cells().stream().filter(x -> x.severity() == sv).findFirst().orElse(null);
                if (c == null) {
                    ri.add(null);
                    rc.add("");
                    rk.add(null);
                    continue;
                }
                ri.add(new Tensor(shape, Arrays.copyOfRange(c.examples().data(), i * per, (i + 1) * per)));
                int p = c.examplePrediction()[i];
                rc.add(caption(labels.get(p), c.exampleConfidence()[i]) + (s.graded() ? "" : " (any severity)"));
                rk.add(p == y ? RIGHT : WRONG);
            }
            images.add(ri);
            captions.add(rc);
            colours.add(rk);
        }
        int side = Math.max(shape.dim(1), shape.dim(2));
        int scale = Math.max(1, 96 / side);
        String title = String.format(Locale.ROOT, "image %d, label %s: the prediction under each corruption (green right, red wrong), %s", i,
                labels.get(y), modelName);
        Pictures.table(file, title, rowLabels, cols, images, captions, colours, scale);
    }

    private static String caption(String cls, float confidence) {
        return String.format(Locale.ROOT, "%s\n%.0f%%", cls, 100 * confidence);
    }

    /** Accuracy against severity for the corruptions of {@code family}, severity 0 being the clean images, on a 0 to 1 axis. */
    private void chart(Path file, Family family) throws IOException {
        List<String> names = new ArrayList<>();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<Integer> sev = result.plan().severities();
        for (CorruptionRun.Summary s : result.corruptions()) {
            if (s.family() != family) {
                continue;
            }
            double[] x = new double[sev.size() + 1];
            double[] y = new double[sev.size() + 1];
            y[0] = result.cleanAccuracy();
            for (int j = 0; j < sev.size(); j++) {
                x[j + 1] = sev.get(j);
                // an ungraded corruption is the same at every severity: its one accuracy holds for all
                int sv = sev.get(j);
                y[j + 1] = s.cells().stream().filter(c -> c.severity() == sv || !s.graded()).findFirst().orElseThrow().accuracy();
            }
            names.add(s.corruption());
            xs.add(x);
            ys.add(y);
        }
        String what = names.size() == 1 ? family.label() + " (" + names.get(0) + ")" : family.label() + " corruptions";
        Pictures.lineChart(file, what + ": accuracy against severity, " + modelName + " (" + result.size() + " images)",
                "severity (0: clean)", "accuracy", names, xs, ys, 0, 1);
    }

    /**
     * Reads another run's {@code augment.json} as a reference: its clean error and each corruption's error per
     * severity. A file that is not such a report is an {@link IOException} naming the file and what is wrong.
     */
    public static CorruptionRun.Reference reference(Path file) throws IOException {
        byte[] text = Limits.readText(file);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not JSON (" + e.getOriginalMessage() + "); expected the augment.json of another run");
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected the augment.json of another run (an object), got " + (root == null ? "nothing" : root.getNodeType()));
        }
        double clean = fraction(file, root.get("clean_error"), "clean_error");
        JsonNode cs = root.get("corruptions");
        if (cs == null || !cs.isArray()) {
            throw new IOException(file + ": expected the augment.json of another run, with a 'corruptions' array");
        }
        Map<String, Map<Integer, Double>> errors = new LinkedHashMap<>();
        for (JsonNode c : cs) {
            JsonNode name = c.get("name");
            JsonNode sev = c.get("severities");
            if (name == null || !name.isTextual() || sev == null || !sev.isArray()) {
                throw new IOException(file + ": expected each of 'corruptions' to have a 'name' and a 'severities' array, got " + abbreviate(c));
            }
            Map<Integer, Double> bySeverity = new LinkedHashMap<>();
            for (JsonNode s : sev) {
                JsonNode level = s.get("severity");
                if (level == null || !level.canConvertToExactIntegral() || level.asInt() < 1 || level.asInt() > 5) {
                    throw new IOException(file + ": " + name.asText() + ": expected severities from 1 to 5, got " + abbreviate(s));
                }
                bySeverity.put(level.asInt(), fraction(file, s.get("error"), name.asText() + " error"));
            }
            errors.put(name.asText(), bySeverity);
        }
        return new CorruptionRun.Reference(file.toString(), clean, errors);
    }

    private static double fraction(Path file, JsonNode v, String what) throws IOException {
        if (v == null || !v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
            throw new IOException(file + ": expected the augment.json of another run, with " + what + " a number in [0,1], got "
                    + (v == null ? "none" : abbreviate(v)));
        }
        return v.asDouble();
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
