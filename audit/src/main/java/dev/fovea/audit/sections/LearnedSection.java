package dev.fovea.audit.sections;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Figures;
import dev.fovea.audit.report.Pictures;
import dev.fovea.explain.visualize.ActivationMaximization;
import dev.fovea.model.Classifier;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.nn.Conv2d;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the network learned: the first convolutional layer's filters ({@link Pictures#filters}; a {@code .fovea}
 * model, whose weights are readable) and, for every class, the input that most excites its logit
 * ({@link ActivationMaximization}: gradient ascent from grey with jitter, scaling, rotation, blur and L2/TV
 * penalties at their defaults, {@link AuditPlan.LearnedSpec#steps} steps, the best of
 * {@link AuditPlan.LearnedSpec#starts} seeded starts), with the class the model then predicts. Class
 * visualisations only need input gradients, so they run on every model.
 */
public record LearnedSection(Numbers numbers, Tensor filters, Tensor visualisations, List<String> notes, double seconds) implements AuditSection {
    /** The first convolution: its layer name, filters, input channels and kernel size, largest |weight|. */
    public record Filters(String layer, int filters, int inChannels, int kernel, double maxAbsWeight) {
    }

    /** One class visualisation: the class, the logit reached, what the model predicts for the image and how sure. */
    public record Visualisation(String target, double logit, String predicted, double probability) {
    }

    /** The section's numbers (either part null when not run: see the notes). */
    public record Numbers(Filters filters, Integer steps, List<Visualisation> classes) {
    }

    public static LearnedSection run(AuditContext c) {
        long t0 = System.nanoTime();
        AuditPlan.LearnedSpec spec = c.plan().learned();
        List<String> notes = new ArrayList<>();
        Filters f = null;
        Tensor weights = null;
        Network net = c.network();
        if (spec.filters()) {
            if (net == null) {
                notes.add("filters not shown: the weights of a TorchScript model are not readable");
            } else {
                for (Map.Entry<String, Layer> e : net.namedLayers()) {
                    if (e.getValue() instanceof Conv2d conv) {
                        weights = conv.weight().value();
                        double max = 0;
                        for (float v : weights.data()) {
                            max = Math.max(max, Math.abs(v));
                        }
                        f = new Filters(e.getKey(), weights.dim(0), weights.dim(1), weights.dim(2), max);
                        break;
                    }
                }
                if (f == null) {
                    notes.add("filters not shown: the model has no convolutional layer");
                }
            }
        }
        List<Visualisation> vis = null;
        Tensor best = null;
        if (spec.steps() > 0) {
            Classifier m = c.model();
            int k = m.classes();
            int starts = spec.starts();
            int[] per = new int[k * starts];
            for (int i = 0; i < per.length; i++) {
                per[i] = i / starts;
            }
            ActivationMaximization.Config cfg = ActivationMaximization.Config.defaults().withSteps(spec.steps()).withSeed(c.plan().seed());
            ActivationMaximization.Result r;
            try (var bar = c.progress().start("visualize", spec.steps(), "steps")) {
                r = new ActivationMaximization(cfg).run(m, Objective.logit(per), per.length, (s, total) -> bar.step(1, null));
            }
            int[] chosen = new int[k];
            for (int t = 0; t < k; t++) {
                chosen[t] = t * starts;
                for (int s = 1; s < starts; s++) {
                    if (r.values()[t * starts + s] > r.values()[chosen[t]]) {
                        chosen[t] = t * starts + s;
                    }
                }
            }
            int size = r.images().shape().sizeFrom(1);
            float[] d = new float[k * size];
            for (int t = 0; t < k; t++) {
                System.arraycopy(r.images().data(), chosen[t] * size, d, t * size, size);
            }
            int[] dims = r.images().shape().dims().clone();
            dims[0] = k;
            best = Tensor.of(d, dims);
            float[] probs = Softmax.apply(m.logits(best).data(), k, k);
            int[] pred = m.predict(best);
            vis = new ArrayList<>();
            for (int t = 0; t < k; t++) {
                vis.add(new Visualisation(m.classNames().get(t), r.values()[chosen[t]], m.classNames().get(pred[t]), probs[t * k + pred[t]]));
            }
        }
        return new LearnedSection(new Numbers(f, spec.steps() > 0 ? spec.steps() : null, vis), weights, best, notes, (System.nanoTime() - t0) / 1e9);
    }

    @Override
    public String name() {
        return "learned";
    }

    @Override
    public String title() {
        return "What the network learned";
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (numbers.filters() != null) {
            List<String> caps = new ArrayList<>();
            for (int i = 0; i < numbers.filters().filters(); i++) {
                caps.add(Integer.toString(i));
            }
            Filters f = numbers.filters();
            Pictures.tiles(dir.resolve("filters.png"), Pictures.filters(filters), caps, 8, f.kernel() <= 5 ? 14 : 8,
                    String.format(Locale.ROOT, "layer %s: %d filters %dx%d (max |w| %.3f)", f.layer(), f.filters(), f.kernel(), f.kernel(), f.maxAbsWeight()));
            files.add("filters.png");
        }
        if (numbers.classes() != null) {
            List<Tensor> items = new ArrayList<>();
            List<String> caps = new ArrayList<>();
            for (int t = 0; t < numbers.classes().size(); t++) {
                Visualisation v = numbers.classes().get(t);
                items.add(visualisations.slice(t, t + 1).reshape(visualisations.shape().tail()));
                caps.add(String.format(Locale.ROOT, "%s%n-> %s %.0f%%", v.target(), v.predicted(), 100 * v.probability()));
            }
            List<List<Tensor>> rows = new ArrayList<>();
            List<List<String>> capRows = new ArrayList<>();
            for (int i = 0; i < items.size(); i += 5) {
                rows.add(items.subList(i, Math.min(items.size(), i + 5)));
                capRows.add(caps.subList(i, Math.min(caps.size(), i + 5)));
            }
            Pictures.grid(dir.resolve("classes.png"), rows, capRows, 4);
            files.add("classes.png");
        }
        return files;
    }

    @Override
    public Map<String, Object> view(Figures figures) throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        if (numbers.filters() != null) {
            Filters f = numbers.filters();
            v.put("filters", figures.figure("filters.png", String.format(Locale.ROOT, "The %d filters of the first convolution (%s, %dx%d):"
                    + " red positive, blue negative, one scale for all.", f.filters(), f.layer(), f.kernel(), f.kernel())));
        }
        if (numbers.classes() != null) {
            v.put("classes", figures.figure("classes.png", String.format(Locale.ROOT, "For each class, the image that most excites its logit"
                    + " after %d steps of gradient ascent from grey, and what the model predicts for it.", numbers.steps())));
        }
        return v;
    }

    @Override
    public List<String> notes() {
        return notes;
    }
}
