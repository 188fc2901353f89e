package dev.fovea.audit.run;

import dev.fovea.audit.ProgressListener;
import dev.fovea.data.Dataset;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.Targets;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An attribution method on a batch of images, as a plan: the method, its configuration (the method's own options
 * record, the score explained, model rows per call, seed), what is explained ({@code pred}, {@code label}, or a
 * class index or name: {@link Targets}), and for provenance where tensor-valued options were read from (Integrated
 * Gradients' {@code baselineImage}: its file). {@link #run} explains the batch in chunks for progress (one sample at
 * a time for methods that evaluate many model rows per sample, else {@code batchSize} samples); chunk
 * {@code [from, to)} draws its random numbers from a seed derived from the plan's seed and {@code from}, so each
 * sample's draws follow the seed and its position alone, whatever the chunking.
 *
 * <pre>{@code
 * ExplainRun.Result ig = ExplainRun.of("integrated-gradients").run(model, data);
 * double worst = ig.maxAbsDelta();
 * }</pre>
 */
public record ExplainRun(Attribution method, ExplainConfig config, String target, Map<String, String> sources) {
    public ExplainRun {
        if (method == null) {
            throw new InvalidOptionException("method", "method is required");
        }
        config = config == null ? ExplainConfig.defaults(method) : config;
        target = target == null ? "pred" : target;
        sources = Map.copyOf(sources == null ? Map.of() : sources);
    }

    /** The method named {@code name} at its defaults, explaining the prediction, seed 0. */
    public static ExplainRun of(String name) {
        return of(Explainers.named(name));
    }

    public static ExplainRun of(Attribution method) {
        return new ExplainRun(method, null, "pred", Map.of());
    }

    /** The method's options from named values (library names, e.g. {@code steps=64}); absent names keep the defaults. */
    public ExplainRun withOptions(Map<String, String> values) {
        return new ExplainRun(method, config.withOptions(method.options(values)), target, sources);
    }

    public ExplainRun withConfig(ExplainConfig c) {
        return new ExplainRun(method, c, target, sources);
    }

    public ExplainRun withTarget(String t) {
        return new ExplainRun(method, config, t, sources);
    }

    public ExplainRun withSeed(long s) {
        return new ExplainRun(method, config.withSeed(s), target, sources);
    }

    /** Every option of the plan by library name, for provenance. */
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", method.name());
        o.put("target", target);
        o.put("score", config.score().spelling());
        o.put("batchSize", config.batchSize());
        o.put("seed", config.seed());
        o.put("options", config.options());
        o.putAll(sources);
        return o;
    }

    /**
     * A run's outcome: the plan with the options as resolved against the model and data (Grad-CAM's layer chosen),
     * the classes, images, labels ({@code null} for images without labels), predictions and their softmax
     * ({@code [N*K]}), the class explained per sample, the maps with scores and deltas, and the wall time of the
     * attribution in seconds.
     */
    public record Result(ExplainRun plan, java.util.List<String> classNames, Tensor images, int[] labels, int[] prediction, float[] probability,
                         int[] targets, AttributionResult attribution, double seconds) {
        public int size() {
            return targets.length;
        }

        /** The largest completeness delta in absolute value; 0 for methods without one. */
        public double maxAbsDelta() {
            return attribution.hasDeltas() ? Arrays.stream(attribution.deltas()).map(Math::abs).max().orElse(0) : 0;
        }

        /** The mean completeness delta in absolute value; 0 for methods without one. */
        public double meanAbsDelta() {
            return attribution.hasDeltas() ? Arrays.stream(attribution.deltas()).map(Math::abs).average().orElse(0) : 0;
        }
    }

    /** What a run reports as it goes, besides progress. */
    public interface Listener extends ProgressListener {
        /** Targets and options are checked against the model and the images; the attribution starts. */
        default void checked() {
        }
    }

    public Result run(Classifier model, Dataset data) {
        return run(model, data.images(), data.labels(), ProgressListener.NONE);
    }

    /**
     * Explains {@code x} {@code [N,C,H,W]} ({@code labels} may be null when the target is not {@code label}). The
     * targets and the options are checked against the model and the images before any attribution.
     */
    public Result run(Classifier model, Tensor x, int[] labels, ProgressListener progress) {
        int[] targets = Targets.resolve(target, model, x, labels);
        ExplainConfig cfg = config.withOptions(method.resolve(model, x, config.options()));
        if (progress instanceof Listener l) {
            l.checked();
        }
        int n = x.dim(0);
        Tensor logits = model.logits(x);
        float[] prob = Softmax.apply(logits.data(), n, model.classes());
        int[] pred = logits.argmaxRows();
        long t0 = System.nanoTime();
        AttributionResult r = attribute(model, x, targets, cfg, progress);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(withConfig(cfg), model.classNames(), x, labels, pred, prob, targets, r, seconds);
    }

    private AttributionResult attribute(Classifier m, Tensor x, int[] targets, ExplainConfig cfg, ProgressListener progress) {
        int n = x.dim(0);
        int chunk = method.manyRowsPerSample() ? 1 : cfg.batchSize();
        Tensor maps = Tensor.zeros(method.kind().shape(x.shape()));
        double[] scores = new double[n];
        double[] deltas = null;
        String usedLayer = null;
        int per = maps.shape().sizeFrom(1);
        try (ProgressListener.Task bar = progress.start("explain " + method.name(), n, "img")) {
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                ExplainConfig c = cfg.withSeed(cfg.seed() + 0x9E3779B97F4A7C15L * from).withOptions(cfg.options().forSamples(from, to));
                AttributionResult r = method.attribute(m, x.slice(from, to), Arrays.copyOfRange(targets, from, to), c);
                System.arraycopy(r.maps().data(), 0, maps.data(), from * per, (to - from) * per);
                System.arraycopy(r.scores(), 0, scores, from, to - from);
                if (r.hasDeltas()) {
                    deltas = deltas == null ? new double[n] : deltas;
                    System.arraycopy(r.deltas(), 0, deltas, from, to - from);
                }
                usedLayer = r.layer();
                bar.step(to - from, null);
            }
        }
        return new AttributionResult(maps, scores, deltas, usedLayer);
    }
}
