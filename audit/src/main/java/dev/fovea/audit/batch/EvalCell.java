package dev.fovea.audit.batch;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.report.Section;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.train.Evaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code eval} cell: clean accuracy, per-class accuracy and the confusion matrix ({@link Evaluation}, as
 * {@code fovea eval} reports them), written as {@code eval.json}. No fields of its own. Metric: {@code accuracy}.
 */
public final class EvalCell implements CellType {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String describe() {
        return "clean accuracy, per class and the confusion matrix (fovea eval)";
    }

    @Override
    public List<Field> fields() {
        return List.of();
    }

    @Override
    public Map<String, Object> resolve(Map<String, Object> given, Classifier model) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seed", Values.seed(given));
        return r;
    }

    @Override
    public Plan plan(Map<String, Object> resolved) {
        return new Plan() {
            @Override
            public long passes(int n) {
                return n;
            }

            @Override
            public Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) {
                long t0 = System.nanoTime();
                int[] pred;
                try (ProgressListener.Task bar = progress.start("eval", data.size(), "img")) {
                    pred = model.predict(data.images());
                    bar.step(data.size(), null);
                }
                Evaluation e = Evaluation.of(pred, data.labels(), model.classes());
                EvalSection s = new EvalSection(e, model.classNames(), (System.nanoTime() - t0) / 1e9);
                return new Outcome(Report.of(provenance, s), List.of(Metric.of("accuracy", e.accuracy())), "eval.json");
            }
        };
    }

    /** {@code eval.json}: accuracy, per-class accuracy by class name ({@code null} for a class without samples), the confusion matrix (rows: true class). */
    record EvalSection(Evaluation evaluation, List<String> classNames, double seconds) implements Section {
        /** The whole of {@code eval.json}. */
        record EvalJson(int n, double accuracy, Map<String, Double> perClass, List<String> classes, long[][] confusion, Provenance provenance) {
        }

        @Override
        public String name() {
            return "eval";
        }

        @Override
        public Object json(Provenance provenance) {
            Map<String, Double> per = new LinkedHashMap<>();
            for (int c = 0; c < classNames.size(); c++) {
                double v = evaluation.perClass()[c];
                per.put(classNames.get(c), Double.isNaN(v) ? null : v);
            }
            return new EvalJson(evaluation.n(), evaluation.accuracy(), per, classNames, evaluation.confusion(), provenance);
        }

        @Override
        public List<String> writeFiles(Path dir) {
            return List.of();
        }
    }
}
