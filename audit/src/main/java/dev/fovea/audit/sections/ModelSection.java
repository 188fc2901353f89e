package dev.fovea.audit.sections;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Figures;
import dev.fovea.audit.report.Json;
import dev.fovea.data.DataFiles;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelSetup;
import dev.fovea.model.Network;
import dev.fovea.train.Evaluation;

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
 * The model card and the clean accuracy: the model file and its SHA-256, the architecture (the own engine's
 * name and parameter count, or the TorchScript signature: input, classes, exported layers), the input contract
 * and normalisation with where each came from, the training provenance the file carries, the audited data with the
 * SHA-256 of its files and of the images used ({@link dev.fovea.io.Digests}), then the clean accuracy,
 * the per-class accuracy and the confusion matrix (rows: true class, columns: predicted) on the audited images.
 * Files: {@code per_class.csv}, {@code confusion.csv}.
 */
public record ModelSection(Card card, double seconds) implements AuditSection {
    /** One class's accuracy ({@code null} for a class without images) and image count. */
    public record PerClass(String name, Double accuracy, long images) {
    }

    /** The normalisation {@code (x - mean) / std} and where each part came from. */
    public record Normalisation(float[] mean, float[] std, String meanFrom, String stdFrom, String classNamesFrom) {
    }

    /** The section's numbers. */
    public record Card(String file, String sha256, String format, String architecture, Long parameters, String backend, int[] inputShape,
                       int classes, List<String> classNames, Normalisation normalisation, Object trainingProvenance, List<String> layers,
                       String data, String dataSha256, String labelsSha256, String subsetSha256, int images, double cleanAccuracy, long correct,
                       List<PerClass> perClass, long[][] confusion) {
    }

    public static ModelSection run(AuditContext c) throws IOException {
        long t0 = System.nanoTime();
        Classifier m = c.model();
        Network net = c.network();
        Evaluation e = Evaluation.of(c.cleanPrediction(), c.data().labels(), m.classes());
        List<PerClass> per = new ArrayList<>();
        for (int k = 0; k < m.classes(); k++) {
            long n = Arrays.stream(e.confusion()[k]).sum();
            per.add(new PerClass(m.classNames().get(k), n == 0 ? null : e.perClass()[k], n));
        }
        ModelSetup s = m.setup();
        Normalisation norm = s == null ? null : new Normalisation(s.mean(), s.std(), s.meanFrom().text(), s.stdFrom().text(), s.classNamesFrom().text());
        Object prov = net == null || net.info().provenance() == null ? null : Json.MAPPER.convertValue(net.info().provenance(), Map.class);
        DataFiles files = c.data().files();
        Card card = new Card(c.modelFile().getFileName().toString(), Digests.sha256(c.modelFile()), net != null ? "fovea" : "torchscript",
                net != null ? net.info().architecture().name() : "TorchScript module", net != null ? net.parameterCount() : null, m.backend(),
                m.inputShape().dims(), m.classes(), m.classNames(), norm, prov, m.layers(), c.data().source(),
                files == null ? null : Digests.sha256(files), files == null ? null : Digests.labelsSha256(files), Digests.subsetSha256(c.data()),
                c.data().size(), e.accuracy(), Math.round(e.accuracy() * e.n()), per, e.confusion());
        return new ModelSection(card, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String title() {
        return "Model and clean accuracy";
    }

    @Override
    public Object numbers() {
        return card;
    }

    @Override
    public Map<String, Double> metrics() {
        return Map.of("clean", card.cleanAccuracy());
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        StringBuilder pc = new StringBuilder("class,accuracy,images\n");
        for (PerClass p : card.perClass()) {
            pc.append(String.format(Locale.ROOT, "%s,%s,%d%n", csv(p.name()), p.accuracy() == null ? "" : String.format(Locale.ROOT, "%.6f", p.accuracy()),
                    p.images()));
        }
        StringBuilder cm = new StringBuilder("true\\predicted");
        card.classNames().forEach(n -> cm.append(',').append(csv(n)));
        cm.append('\n');
        for (int r = 0; r < card.confusion().length; r++) {
            cm.append(csv(card.classNames().get(r)));
            for (long v : card.confusion()[r]) {
                cm.append(',').append(v);
            }
            cm.append('\n');
        }
        write(dir.resolve("per_class.csv"), pc.toString());
        write(dir.resolve("confusion.csv"), cm.toString());
        return List.of("per_class.csv", "confusion.csv");
    }

    private static void write(Path f, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(f, os -> os.write(b));
    }

    private static String csv(String s) {
        return dev.fovea.audit.report.Format.csv(s);
    }

    @Override
    public Map<String, Object> view(Figures figures) {
        Card k = card;
        List<Map<String, Object>> rows = new ArrayList<>();
        row(rows, "file", k.file());
        row(rows, "SHA-256", k.sha256());
        row(rows, "architecture", k.architecture() + (k.parameters() == null ? "" : String.format(Locale.ROOT, ", %,d parameters", k.parameters())));
        row(rows, "backend", k.backend());
        row(rows, "input", "[" + String.join(", ", Arrays.stream(k.inputShape()).mapToObj(Integer::toString).toList()) + "], pixels in [0, 1]");
        row(rows, "classes", k.classes() + ": " + String.join(", ", k.classNames()));
        if (k.normalisation() != null) {
            Normalisation n = k.normalisation();
            row(rows, "normalisation", "(x - " + Arrays.toString(n.mean()) + ") / " + Arrays.toString(n.std()) + " (mean from " + n.meanFrom()
                    + ", std from " + n.stdFrom() + ")");
        }
        if (k.parameters() == null && k.layers() != null && !k.layers().isEmpty()) {
            row(rows, "layers", String.join(", ", k.layers()));
        }
        if (k.trainingProvenance() instanceof Map<?, ?> p && !p.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String key : List.of("command", "source", "made_by", "test_accuracy", "test_data", "seed", "epochs")) {
                if (p.containsKey(key)) {
                    parts.add(key + " " + p.get(key));
                }
            }
            row(rows, "provenance", parts.isEmpty() ? p.toString() : String.join("; ", parts));
        }
        String files = k.dataSha256() == null ? "" : ", SHA-256 " + k.dataSha256().substring(0, 16) + "...";
        String used = "; the images used: SHA-256 " + k.subsetSha256().substring(0, 16) + "...";
        row(rows, "data", k.data() + " (" + k.images() + " images" + files + used + ")");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("card", rows);
        v.put("clean", AuditReport.percent(k.cleanAccuracy()));
        v.put("correct", k.correct());
        v.put("images", k.images());
        List<Map<String, Object>> pc = new ArrayList<>();
        for (PerClass p : k.perClass()) {
            pc.add(Map.of("name", p.name(), "accuracy", p.accuracy() == null ? "-" : AuditReport.percent(p.accuracy()), "images", p.images()));
        }
        v.put("perClass", pc);
        List<Map<String, Object>> head = new ArrayList<>();
        for (int i = 0; i < k.classes(); i++) {
            head.add(Map.of("index", i, "name", k.classNames().get(i)));
        }
        v.put("head", head);
        List<Map<String, Object>> cm = new ArrayList<>();
        for (int r = 0; r < k.classes(); r++) {
            long total = Math.max(1, Arrays.stream(k.confusion()[r]).sum());
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int col = 0; col < k.classes(); col++) {
                long n = k.confusion()[r][col];
                double f = (double) n / total;
                // correct counts in blue, errors in orange; the shade follows the fraction of the row
                String rgb = r == col ? "0,114,178" : "213,94,0";
                String style = n == 0 ? "" : String.format(Locale.ROOT, "background: rgba(%s,%.2f);%s", rgb, Math.max(0.08, f),
                        f > 0.55 ? " color: #fff;" : "");
                cells.add(Map.of("n", n, "style", style));
            }
            cm.add(Map.of("index", r, "name", k.classNames().get(r), "cells", cells));
        }
        v.put("confusion", cm);
        return v;
    }

    private static void row(List<Map<String, Object>> rows, String k, String v) {
        rows.add(Map.of("k", k, "v", v));
    }
}
