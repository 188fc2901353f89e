package dev.fovea.audit.batch;

import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.audit.Budgets;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.AttackSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code attack} cell: an {@link AttackRun} (a registered attack at a list of budgets) and its
 * {@link AttackSection}. Fields: {@code method} (required, from {@link Attacks}), {@code norm} (the method's default),
 * {@code eps} (the budgets, numbers or fractions such as {@code 8/255}, a repeated one run once ({@link Grid#notes} says
 * so); default {@link Budgets#defaults} for the model's input), the overrides {@code steps},
 * {@code step_size}, {@code restarts}, {@code random_start} (default: the method's), {@code targeted}
 * ({@code random}, {@code least-likely} or a class) and {@code options}, the method's own by library name
 * ({@code {kappa: 2}}). Metrics: {@code clean_accuracy}, and per budget {@code robust_accuracy} and
 * {@code success_rate}.
 */
public final class AttackCell implements CellType {
    @Override
    public String name() {
        return "attack";
    }

    @Override
    public String describe() {
        return "an attack at a list of budgets: clean and robust accuracy, success rate (fovea attack)";
    }

    @Override
    public List<Field> fields() {
        return List.of(Field.scalar("method", "attack: " + String.join(", ", Attacks.names())),
                Field.scalar("norm", "linf, l2 or l0 (default: the method's)"),
                Field.list("eps", "budgets in pixel units (default: by the input's size)"),
                Field.scalar("steps", "iterations (default: the method's)"),
                Field.scalar("step_size", "step size (default: the method's, relative to eps)"),
                Field.scalar("restarts", "random restarts (default: the method's)"),
                Field.scalar("random_start", "start from a random point of the ball"),
                Field.scalar("targeted", "random, least-likely or a class (default: untargeted)"),
                Field.map("options", "the method's own options by name"));
    }

    @Override
    public Map<String, Object> resolve(Map<String, Object> given, Classifier model) {
        Attack a = attack(Values.text(given, "method", null));
        String normText = Values.text(given, "norm", null);
        Norm norm = normText == null ? a.defaultNorm() : Norm.parse(normText);
        List<Double> eps = Values.reals(given, "eps");
        if (eps == null) {
            eps = Budgets.defaults(norm, model.inputShape()).eps();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", a.name());
        r.put("norm", norm.name().toLowerCase(Locale.ROOT));
        List<Double> sorted = new ArrayList<>(Budgets.once(eps).kept());
        sorted.sort(Double::compare);
        r.put("eps", sorted);
        for (String f : List.of("steps", "restarts")) {
            if (Values.integer(given, f) != null) {
                r.put(f, Values.integer(given, f));
            }
        }
        if (Values.real(given, "step_size") != null) {
            r.put("step_size", Values.real(given, "step_size"));
        }
        if (Values.bool(given, "random_start") != null) {
            r.put("random_start", Values.bool(given, "random_start"));
        }
        String targeted = Values.text(given, "targeted", null);
        if (targeted != null) {
            r.put("targeted", targeted);
        }
        r.put("seed", Values.seed(given));
        Map<String, String> own = new LinkedHashMap<>();
        Values.texts(given, "options").forEach((k, v) -> own.put(Values.camel(k), v));
        if (!own.isEmpty()) {
            r.put("options", own);
        }
        AttackRun run = toRun(r, model.classNames());
        run.check(model);
        return r;
    }

    private static Attack attack(String method) {
        if (method == null) {
            throw new InvalidOptionException("method", "method: required (known: " + String.join(", ", Attacks.names()) + ")");
        }
        try {
            return Attacks.named(method);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("method", "method: " + e.getMessage());
        }
    }

    private static AttackRun toRun(Map<String, Object> r, List<String> classNames) {
        Attack a = attack(Values.text(r, "method", null));
        AttackRun run = new AttackRun(a, Norm.parse(Values.text(r, "norm", null)), Values.reals(r, "eps"), Target.UNTARGETED,
                Values.seed(r), Values.integer(r, "steps"), Values.real(r, "step_size"),
                Values.integer(r, "restarts"), Values.bool(r, "random_start"));
        Map<String, String> own = Values.texts(r, "options");
        if (!own.isEmpty()) {
            run = run.withOptions(own);
        }
        String targeted = Values.text(r, "targeted", null);
        return targeted == null ? run : run.withTarget(Target.parse(targeted, classNames));
    }

    @Override
    public Plan plan(Map<String, Object> resolved) {
        Map<String, Object> r = Map.copyOf(resolved);
        return new Plan() {
            @Override
            public long passes(int n) {
                AttackRun run = toRun(r, List.of());
                AttackConfig c = run.reported();
                long perImage = 1;
                for (double e : run.budgets()) {
                    perImage += e == 0 ? 1 : (long) Math.max(1, c.steps()) * Math.max(1, c.restarts()) + 1;
                }
                return perImage * n;
            }

            @Override
            public Outcome run(Classifier model, Dataset data, Provenance provenance, ProgressListener progress) {
                AttackRun run = toRun(r, model.classNames());
                run.check(model);
                AttackRun.Result res = run.run(model, data.images(), data.labels(), progress);
                String modelName = provenance.model() == null ? "model" : Path.of(provenance.model()).getFileName().toString();
                Report report = Report.of(provenance.withOptions(run.options()), new AttackSection(res, modelName));
                List<Metric> m = new ArrayList<>();
                m.add(Metric.of("clean_accuracy", res.cleanAccuracy()));
                for (AttackRun.Budget b : res.budgets()) {
                    m.add(Metric.atEps("robust_accuracy", b.eps(), b.robustAccuracy()));
                    m.add(Metric.atEps("success_rate", b.eps(), b.result().successRate()));
                }
                return new Outcome(report, m, "robustness.png");
            }
        };
    }
}
