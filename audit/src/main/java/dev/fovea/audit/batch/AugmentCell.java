package dev.fovea.audit.batch;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.AugmentSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code augment} cell: a {@link CorruptionRun} over registered corruptions and its {@link AugmentSection}.
 * Fields: {@code corruptions} (names from {@link Corruptions}, or {@code all}, {@code benchmark}, {@code extra},
 * {@code augmentations}; a group leaves out the colour-only corruptions on grayscale images, as
 * {@code fovea augment} does), {@code severities} (a list, or a range such as {@code 1-5}; default 1-5),
 * {@code examples} (corrupted images kept for the grids; default 1) and {@code batch_size}. Metrics:
 * {@code clean_accuracy}; per corruption and severity {@code accuracy}, {@code error} and {@code flip_rate}; per
 * corruption {@code mean_error}; and {@code mean_corruption_error} of the benchmark suite (unnormalised).
 */
public final class AugmentCell implements CellType {
    @Override
    public String name() {
        return "augment";
    }

    @Override
    public String describe() {
        return "common corruptions: accuracy, flip rate and corruption errors per corruption and severity (fovea augment)";
    }

    @Override
    public List<Field> fields() {
        return List.of(Field.list("corruptions", "corruption names or all, benchmark, extra, augmentations (default: benchmark)"),
                Field.list("severities", "severities from 1 to 5 (default: 1-5)"),
                Field.scalar("examples", "corrupted images kept for the grids (default: 1)"),
                Field.scalar("batch_size", "images per chunk (default: " + CorruptionRun.DEFAULT_BATCH_SIZE + ")"));
    }

    @Override
    public Map<String, Object> resolve(Map<String, Object> given, Classifier model) {
        List<Object> names = Values.list(given, "corruptions");
        String spec = names == null ? "benchmark" : String.join(",", names.stream().map(String::valueOf).toList());
        List<Corruption<?>> chosen = new ArrayList<>(CorruptionRun.select(spec));
        if (CorruptionRun.groups(spec) && model.inputShape().dim(0) != 3) {
            chosen.removeIf(Corruption::colourOnly);
            if (chosen.isEmpty()) {
                throw new InvalidOptionException("corruptions", "corruptions: every one of " + spec + " changes colours only, and the images "
                        + model.inputShape() + " are grayscale");
            }
        }
        List<Object> sev = Values.list(given, "severities");
        List<Integer> severities = new ArrayList<>();
        if (sev == null) {
            severities.addAll(CorruptionRun.ALL_SEVERITIES);
        } else {
            for (Object s : sev) {
                severities.addAll(CorruptionRun.severities(String.valueOf(s)));
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("corruptions", chosen.stream().map(Corruption::name).toList());
        r.put("severities", severities.stream().sorted().toList());
        Integer examples = Values.integer(given, "examples");
        r.put("examples", examples == null ? 1 : examples);
        Integer batch = Values.integer(given, "batch_size");
        r.put("batch_size", batch == null ? CorruptionRun.DEFAULT_BATCH_SIZE : batch);
        r.put("seed", Values.seed(given));
        toRun(r).check(model.inputShape());
        return r;
    }

    private static CorruptionRun toRun(Map<String, Object> r) {
        List<Corruption<?>> c = new ArrayList<>();
        for (Object name : Values.list(r, "corruptions")) {
            try {
                c.add(Corruptions.named(String.valueOf(name)));
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException("corruptions", "corruptions: " + e.getMessage());
            }
        }
        List<Integer> sev = Values.list(r, "severities").stream().map(v -> Values.integer(Map.of("severities", v), "severities")).toList();
        return CorruptionRun.of(c).withSeverities(sev).withSeed(Values.seed(r)).withBatchSize(Values.integer(r, "batch_size"))
                .withExamples(Values.integer(r, "examples"));
    }

    @Override
    public Plan plan(Map<String, Object> resolved) {
        Map<String, Object> r = Map.copyOf(resolved);
        return new Plan() {
            @Override
            public long passes(int n) {
                CorruptionRun run = toRun(r);
                long per = 1;
                for (Corruption<?> c : run.corruptions()) {
                    per += run.severitiesOf(c).size();
                }
                return per * n;
            }

            @Override
            public Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) {
                CorruptionRun run = toRun(r);
                run.check(model.inputShape());
                CorruptionRun.Result res = run.run(model, data.images(), data.labels(), progress);
                String modelName = provenance.model() == null ? "model" : Path.of(provenance.model()).getFileName().toString();
                Report report = Report.of(provenance.withOptions(run.options()), new AugmentSection(res, modelName));
                List<Metric> m = new ArrayList<>();
                m.add(Metric.of("clean_accuracy", res.cleanAccuracy()));
                for (CorruptionRun.Summary s : res.corruptions()) {
                    for (CorruptionRun.Cell c : s.cells()) {
                        m.add(Metric.at("accuracy", s.corruption(), c.severity(), c.accuracy()));
                        m.add(Metric.at("error", s.corruption(), c.severity(), c.error()));
                        m.add(Metric.at("flip_rate", s.corruption(), c.severity(), c.flipRate()));
                    }
                    m.add(Metric.at("mean_error", s.corruption(), null, s.meanError()));
                }
                if (res.benchmark().meanError() != null) {
                    m.add(Metric.at("mean_corruption_error", "benchmark", null, res.benchmark().meanError()));
                }
                return new Outcome(report, m, "augment.json");
            }
        };
    }
}
