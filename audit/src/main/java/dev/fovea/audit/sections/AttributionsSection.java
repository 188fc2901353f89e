package dev.fovea.audit.sections;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Charts;
import dev.fovea.audit.report.Figures;
import dev.fovea.audit.report.Pictures;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.Dataset;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.trust.DeletionCurve;
import dev.fovea.explain.trust.ModelRandomization;
import dev.fovea.image.Heatmaps;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attributions: a gallery (the first {@link AuditPlan.ExplainSpec#perClass} audited images of each class, the
 * input then each method's map over it), the deletion and insertion AUCs of each method against a random ranking
 * ({@link DeletionCurve}: deletion to black, insertion from the blurred image), and the cascading
 * model-randomisation check of Adebayo et al. 2018 ({@link ModelRandomization}) with a verdict per method.
 *
 * <p>The verdict: a method passes when, with every layer re-initialised, the mean Spearman rank correlation of its
 * absolute maps with those on the trained model is below {@value #SANITY_THRESHOLD}: its maps depend on what the
 * network learned. (The paper reads the curves by eye; fovea's line is the midpoint between maps unchanged, 1,
 * and unrelated, 0.) The check needs a {@code .fovea} model, whose weights can be re-initialised; layer methods
 * (Grad-CAM) need a model that names its layers. What cannot run is said in the section's notes.
 */
public record AttributionsSection(Numbers numbers, Gallery gallery, ModelRandomization.Result cascade, Tensor cascadeImage, List<String> notes,
                                  double seconds) implements AuditSection {
    /** Below this mean rank correlation of |map| after randomising every layer, a method passes the randomisation check. */
    public static final double SANITY_THRESHOLD = 0.5;

    /** A method as run: name, what it is, whether its maps are signed, the layer it read, seconds. */
    public record Method(String name, String description, boolean signed, String layer, double seconds) {
    }

    /** One gallery image: its index among the audited images, label, prediction and confidence. */
    public record GalleryImage(int index, String label, String prediction, double confidence) {
    }

    /** Mean deletion and insertion AUC of one method (or {@code random}). */
    public record AucRow(String method, double deletionAuc, double insertionAuc) {
    }

    /** Deletion and insertion on the first {@code images} images, {@code points} steps each. */
    public record Deletion(int images, int points, String deletionCanvas, String insertionCanvas, List<AucRow> methods) {
    }

    /** One method's randomisation cascade: mean rank correlation of |map| and SSIM after each step, its verdict. */
    public record SanityRow(String method, double[] spearmanAbs, double[] ssim, double finalSpearmanAbs, String verdict) {
    }

    /** The randomisation check on {@code images} images: the layers in cascade order, the threshold, each method. */
    public record Sanity(int images, List<String> layers, double threshold, List<SanityRow> methods, boolean passed) {
    }

    /** The section's numbers ({@code sanity} null when the check could not run: see the notes). */
    public record Numbers(List<Method> methods, List<GalleryImage> gallery, Deletion deletion, Sanity sanity) {
    }

    /** The gallery's images and each method's maps over them. */
    public record Gallery(Tensor images, List<Attribution> methods, List<Tensor> maps) {
    }

    public static AttributionsSection run(AuditContext c) throws IOException {
        long t0 = System.nanoTime();
        AuditPlan.ExplainSpec spec = c.plan().explain();
        Classifier m = c.model();
        long seed = c.plan().seed();
        List<String> notes = new ArrayList<>();
        List<Attribution> methods = new ArrayList<>();
        for (String name : spec.methods()) {
            Attribution a = Explainers.named(name);
            String unavailable = a.unavailableFor(m);
            if (unavailable != null) {
                notes.add(name + " not run: " + unavailable);
            } else if (a.kind() == Attribution.Kind.LAYER && m.layers().isEmpty()) {
                notes.add(name + " not run: it reads a layer, and the model names none (a TorchScript module without features/head methods)");
            } else {
                methods.add(a);
            }
        }
        Dataset g = c.data().perClass(spec.perClass());
        List<Method> ran = new ArrayList<>();
        List<Tensor> galleryMaps = new ArrayList<>();
        for (Attribution a : methods) {
            ExplainRun.Result r = spec.run(a.name(), seed).run(m, g.images(), g.labels(), c.progress());
            galleryMaps.add(r.attribution().maps());
            ran.add(new Method(a.name(), a.describe(), a.signed(), r.attribution().layer(), r.seconds()));
        }
        int[] gp = m.predict(g.images());
        float[] prob = dev.fovea.nn.Softmax.apply(m.logits(g.images()).data(), g.size(), m.classes());
        List<GalleryImage> gallery = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            gallery.add(new GalleryImage(i, m.classNames().get(g.labels()[i]), m.classNames().get(gp[i]), prob[i * m.classes() + gp[i]]));
        }
        Deletion deletion = deletion(c, spec, methods, seed);
        ModelRandomization.Result cascade = null;
        Sanity sanity = null;
        Dataset s = c.first(spec.sanityImages());
        if (c.network() == null) {
            notes.add("randomisation check not run: it re-initialises the weights, which only a .fovea model exposes");
        } else if (!methods.isEmpty()) {
            ModelLoader.Options opts = c.loader();
            int[] targets = m.predict(s.images());
            int steps = ModelRandomization.parameterLayers(c.network()).size();
            try (var bar = c.progress().start("sanity", steps, "layers")) {
                cascade = ModelRandomization.run(c.network(), n -> {
                    try {
                        return ModelLoader.open(n, opts);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, methods, a -> spec.run(a.name(), seed).config(), s.images(), targets, seed, (step, total, layer) -> bar.step(1, layer));
            }
            sanity = sanity(cascade, s.size());
        }
        return new AttributionsSection(new Numbers(ran, gallery, deletion, sanity), new Gallery(g.images(), methods, galleryMaps), cascade,
                s.images(), notes, (System.nanoTime() - t0) / 1e9);
    }

    private static Deletion deletion(AuditContext c, AuditPlan.ExplainSpec spec, List<Attribution> methods, long seed) {
        Dataset d = c.first(spec.deletionImages());
        Classifier m = c.model();
        int hw = m.inputShape().dim(1) * m.inputShape().dim(2);
        int points = Math.min(spec.points(), hw);
        int[] targets = m.predict(d.images());
        List<String> names = new ArrayList<>(methods.stream().map(Attribution::name).toList());
        names.add("random");
        List<AucRow> rows = new ArrayList<>();
        try (var bar = c.progress().start("deletion", names.size(), "maps")) {
            for (int j = 0; j < names.size(); j++) {
                Tensor maps = j < methods.size() ? spec.run(names.get(j), seed).run(m, d.images(), d.labels(), dev.fovea.audit.ProgressListener.NONE)
                        .attribution().maps() : DeletionCurve.randomMaps(d.images(), seed);
                double del = DeletionCurve.run(m, d.images(), maps, targets, DeletionCurve.Mode.DELETION, DeletionCurve.Canvas.BLACK, points).meanAuc();
                double ins = DeletionCurve.run(m, d.images(), maps, targets, DeletionCurve.Mode.INSERTION, DeletionCurve.Canvas.BLUR, points).meanAuc();
                rows.add(new AucRow(names.get(j), del, ins));
                bar.step(1, names.get(j));
            }
        }
        return new Deletion(d.size(), points, "black", "blur", rows);
    }

    private static Sanity sanity(ModelRandomization.Result r, int images) {
        List<SanityRow> rows = new ArrayList<>();
        int steps = r.layers().size();
        boolean all = true;
        for (int j = 0; j < r.methods().size(); j++) {
            double[] sa = new double[steps];
            double[] si = new double[steps];
            for (int s = 0; s < steps; s++) {
                sa[s] = ModelRandomization.Result.mean(r.spearmanAbs(), j, s);
                si[s] = ModelRandomization.Result.mean(r.ssim(), j, s);
            }
            double last = steps == 0 ? Double.NaN : sa[steps - 1];
            boolean pass = last < SANITY_THRESHOLD;
            all &= pass;
            rows.add(new SanityRow(r.methods().get(j), sa, si, last, pass ? "pass" : "fail"));
        }
        return new Sanity(images, r.layers(), SANITY_THRESHOLD, rows, all);
    }

    @Override
    public String name() {
        return "attributions";
    }

    @Override
    public String title() {
        return "Attributions";
    }

    @Override
    public Map<String, Double> metrics() {
        return numbers.sanity() == null ? Map.of() : Map.of("sanity", numbers.sanity().passed() ? 1.0 : 0.0);
    }

    @Override
    public String verdict() {
        Sanity s = numbers.sanity();
        if (s == null) {
            return null;
        }
        List<String> pass = s.methods().stream().filter(r -> r.verdict().equals("pass")).map(SanityRow::method).toList();
        List<String> fail = s.methods().stream().filter(r -> !r.verdict().equals("pass")).map(SanityRow::method).toList();
        if (fail.isEmpty()) {
            return "the " + join(pass) + " maps pass the randomisation check";
        }
        if (pass.isEmpty()) {
            return "the " + join(fail) + " maps fail the randomisation check";
        }
        return "the " + join(pass) + " maps pass the randomisation check, the " + join(fail) + " maps fail it";
    }

    private static String join(List<String> names) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (!gallery.methods().isEmpty()) {
            galleryGrid(dir.resolve("gallery.png"));
            files.add("gallery.png");
        }
        StringBuilder csv = new StringBuilder("method,deletion_auc,insertion_auc\n");
        for (AucRow r : numbers.deletion().methods()) {
            csv.append(String.format(Locale.ROOT, "%s,%.6f,%.6f%n", r.method(), r.deletionAuc(), r.insertionAuc()));
        }
        byte[] b = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.fovea.io.AtomicFiles.write(dir.resolve("deletion.csv"), os -> os.write(b));
        files.add("deletion.csv");
        Sanity s = numbers.sanity();
        if (s != null) {
            List<Charts.Series> series = new ArrayList<>();
            for (SanityRow r : s.methods()) {
                double[] x = new double[r.spearmanAbs().length + 1];
                double[] y = new double[x.length];
                y[0] = 1;
                for (int i = 0; i < r.spearmanAbs().length; i++) {
                    x[i + 1] = i + 1;
                    y[i + 1] = r.spearmanAbs()[i];
                }
                series.add(new Charts.Series(r.method(), x, y, false));
            }
            series.add(new Charts.Series("pass line", new double[] {0, s.layers().size()}, new double[] {SANITY_THRESHOLD, SANITY_THRESHOLD}, true));
            Charts.panels(dir.resolve("sanity.png"), List.of(new Charts.Panel("Model randomisation, top layer first", "layers re-initialised",
                    "rank correlation of |map| with the trained model's", 1.05, series)), 620, 380);
            files.add("sanity.png");
            cascadeGrid(dir.resolve("sanity_maps.png"));
            files.add("sanity_maps.png");
            StringBuilder sc = new StringBuilder("method,step,layer,spearman_abs,ssim\n");
            for (SanityRow r : s.methods()) {
                for (int i = 0; i < r.spearmanAbs().length; i++) {
                    sc.append(String.format(Locale.ROOT, "%s,%d,%s,%.6f,%.6f%n", r.method(), i + 1, s.layers().get(i), r.spearmanAbs()[i], r.ssim()[i]));
                }
            }
            byte[] sb = sc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dev.fovea.io.AtomicFiles.write(dir.resolve("sanity.csv"), os -> os.write(sb));
            files.add("sanity.csv");
        }
        return files;
    }

    /**
     * One column per image: the input with label and prediction, then each method's map over it, a row per method,
     * each row on one scale (the 99th percentile of its maps' {@code |value|}) printed on the row's colour bar.
     */
    private void galleryGrid(Path file) throws IOException {
        Tensor x = gallery.images();
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        List<Pictures.ColourBar> bars = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        List<String> inputCaps = new ArrayList<>();
        for (int i = 0; i < x.dim(0); i++) {
            GalleryImage gi = numbers.gallery().get(i);
            inputs.add(x.slice(i, i + 1).reshape(x.shape().tail()));
            inputCaps.add(String.format(Locale.ROOT, "%s%n-> %s %.0f%%", gi.label(), gi.prediction(), 100 * gi.confidence()));
        }
        rows.add(inputs);
        caps.add(inputCaps);
        bars.add(null);
        for (int j = 0; j < gallery.methods().size(); j++) {
            Attribution a = gallery.methods().get(j);
            List<Tensor> maps = new ArrayList<>();
            for (int i = 0; i < x.dim(0); i++) {
                Tensor map = gallery.maps().get(j).slice(i, i + 1);
                maps.add(map.reshape(map.shape().tail()));
            }
            double scale = Heatmaps.scale(maps);
            List<Tensor> row = new ArrayList<>();
            List<String> cap = new ArrayList<>();
            for (int i = 0; i < x.dim(0); i++) {
                row.add(Heatmaps.overlay(inputs.get(i), maps.get(i), a.signed(), 0.8, scale));
                cap.add(a.name());
            }
            rows.add(row);
            caps.add(cap);
            bars.add(Pictures.ColourBar.of(a.signed(), scale));
        }
        Pictures.grid(file, new Pictures.Grid("attributions of the gallery's images", "each method's row on one scale, v the 99th percentile of its "
                + "|value|, printed on its bar (signed maps -v blue to +v red, others 0 to v)", null, rows, caps, bars, 4));
    }

    private void cascadeGrid(Path file) throws IOException {
        List<List<Tensor>> rows = new ArrayList<>();
        List<List<String>> caps = new ArrayList<>();
        Tensor img = cascadeImage.slice(0, 1).reshape(cascadeImage.shape().tail());
        for (int j = 0; j < cascade.methods().size(); j++) {
            Attribution a = gallery.methods().get(j);
            List<Tensor> row = new ArrayList<>();
            List<String> cap = new ArrayList<>();
            row.add(img);
            cap.add(a.name() + "\ninput");
            Tensor[] maps = cascade.maps()[j];
            for (int s = 0; s < maps.length; s++) {
                Tensor map = maps[s].slice(0, 1);
                row.add(Heatmaps.colour(map.reshape(map.shape().tail()), a.signed()));
                cap.add(s == 0 ? "trained\n" : String.format(Locale.ROOT, "to %s%nrank %.2f", cascade.layers().get(s - 1), cascade.spearmanAbs()[j][s - 1][0]));
            }
            rows.add(row);
            caps.add(cap);
        }
        Pictures.grid(file, rows, caps, 3);
    }

    @Override
    public Map<String, Object> view(Figures figures) throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("methods", numbers.methods().stream().map(m -> Map.of("name", m.name(), "description", m.description())).toList());
        if (!gallery.methods().isEmpty()) {
            v.put("gallery", figures.figure("gallery.png", "Gallery: " + gallery.images().dim(0) + " images (the first of each class) with label and"
                    + " prediction, then a row per method, its map over the image (red: for the predicted class, blue: against)."));
        }
        Deletion d = numbers.deletion();
        double randomDel = d.methods().get(d.methods().size() - 1).deletionAuc();
        double randomIns = d.methods().get(d.methods().size() - 1).insertionAuc();
        List<Map<String, Object>> auc = new ArrayList<>();
        for (AucRow r : d.methods()) {
            auc.add(Map.of("method", r.method(), "deletion", String.format(Locale.ROOT, "%.3f", r.deletionAuc()),
                    "insertion", String.format(Locale.ROOT, "%.3f", r.insertionAuc()),
                    "better", !r.method().equals("random") && r.deletionAuc() < randomDel && r.insertionAuc() > randomIns,
                    "random", r.method().equals("random")));
        }
        v.put("auc", auc);
        v.put("deletionImages", d.images());
        v.put("deletionPoints", d.points());
        Sanity s = numbers.sanity();
        if (s != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SanityRow r : s.methods()) {
                rows.add(Map.of("method", r.method(), "rank", String.format(Locale.ROOT, "%.3f", r.finalSpearmanAbs()),
                        "ssim", String.format(Locale.ROOT, "%.3f", r.ssim()[r.ssim().length - 1]), "pass", r.verdict().equals("pass"), "verdict", r.verdict()));
            }
            v.put("sanity", rows);
            v.put("sanityImages", s.images());
            v.put("sanityLayers", s.layers().size());
            v.put("threshold", String.format(Locale.ROOT, "%.2f", s.threshold()));
            v.put("sanityFigure", figures.figure("sanity.png", "Rank correlation of each method's |map| with its map on the trained model, as"
                    + " layers are re-initialised from the top; dashed: the pass line."));
            v.put("sanityMaps", figures.figure("sanity_maps.png", "The first image's maps on the trained model, then after each layer is"
                    + " re-initialised (top layer first)."));
        }
        return v;
    }
}
