package dev.fovea.audit.batch;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.ExplainSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.Dataset;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.Targets;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code explain} cell: an {@link ExplainRun} (a registered attribution method) and its {@link ExplainSection}.
 * Fields: {@code method} (required, from {@link Explainers}), {@code target} ({@code pred}, {@code label} or a
 * class; default {@code pred}), {@code score} ({@code logit} or {@code probability}), {@code batch_size} (model
 * rows per call) and {@code options}, the method's own by library name ({@code {steps: 64}}). Metrics:
 * {@code mean_score}, and for methods with a completeness property {@code max_abs_delta} and
 * {@code mean_abs_delta}.
 */
public final class ExplainCell implements CellType {
    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String describe() {
        return "an attribution method: maps, scores and completeness deltas (fovea explain)";
    }

    @Override
    public List<Field> fields() {
        return List.of(Field.scalar("method", "attribution method: " + String.join(", ", Explainers.names())),
                Field.scalar("target", "pred, label or a class (default: pred)"),
                Field.scalar("score", "logit or probability (default: logit)"),
                Field.scalar("batch_size", "model rows per call (default: the method's)"),
                Field.map("options", "the method's own options by name"));
    }

    private static Attribution method(String name) {
        if (name == null) {
            throw new InvalidOptionException("method", "method: required (known: " + String.join(", ", Explainers.names()) + ")");
        }
        try {
            return Explainers.named(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("method", "method: " + e.getMessage());
        }
    }

    @Override
    public Map<String, Object> resolve(Map<String, Object> given, Classifier model) {
        Attribution a = method(Values.text(given, "method", null));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", a.name());
        r.put("target", Values.text(given, "target", "pred"));
        r.put("score", OptionInfo.parse(ExplainConfig.Score.class, "score", Values.text(given, "score", "logit")).spelling());
        Integer batch = Values.integer(given, "batch_size");
        r.put("batch_size", batch == null ? ExplainConfig.defaults(a).batchSize() : batch);
        r.put("seed", Values.seed(given));
        Map<String, String> own = new LinkedHashMap<>();
        Values.texts(given, "options").forEach((k, v) -> own.put(Values.camel(k), v));
        if (!own.isEmpty()) {
            r.put("options", own);
        }
        ExplainRun run = toRun(r);
        Tensor one = Tensor.zeros(model.inputShape().withBatch(1));
        Targets.resolve(run.target(), model, one, new int[] {0});
        return r;
    }

    private static ExplainRun toRun(Map<String, Object> r) {
        Attribution a = method(Values.text(r, "method", null));
        int batch = Values.integer(r, "batch_size");
        if (batch < 1) {
            throw new InvalidOptionException("batchSize", "batch_size must be at least 1, got " + batch);
        }
        ExplainConfig c = new ExplainConfig(a.options(Values.texts(r, "options")),
                OptionInfo.parse(ExplainConfig.Score.class, "score", Values.text(r, "score", "logit")), batch, Values.seed(r));
        return new ExplainRun(a, c, Values.text(r, "target", "pred"), Map.of());
    }

    @Override
    public Plan plan(Map<String, Object> resolved) {
        Map<String, Object> r = Map.copyOf(resolved);
        return new Plan() {
            @Override
            public long passes(int n) {
                ExplainRun run = toRun(r);
                long per = run.method().manyRowsPerSample() ? 32 : 2;
                for (String k : List.of("steps", "samples")) {
                    String v = Values.texts(r, "options").get(k);
                    if (v != null && run.method().manyRowsPerSample()) {
                        per = Math.max(1, Long.parseLong(v.strip()));
                    }
                }
                return per * n;
            }

            @Override
            public Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) {
                ExplainRun run = toRun(r);
                ExplainRun.Result res = run.run(model, data.images(), data.labels(), progress);
                Report report = Report.of(provenance.withOptions(run.options()), new ExplainSection(res));
                List<Metric> m = new ArrayList<>();
                m.add(Metric.of("mean_score", Arrays.stream(res.attribution().scores()).average().orElse(0)));
                if (res.attribution().hasDeltas()) {
                    m.add(Metric.of("max_abs_delta", res.maxAbsDelta()));
                    m.add(Metric.of("mean_abs_delta", res.meanAbsDelta()));
                }
                return new Outcome(report, m, "grid.png");
            }
        };
    }
}
