package dev.fovea.audit.run;

import dev.fovea.attacks.Diagnostics;
import dev.fovea.attacks.Norm;
import dev.fovea.audit.ProgressListener;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gradient-masking checks ({@link Diagnostics}) with the standard setup ({@link Diagnostics.Setup#standard}:
 * PGD-20 against FGSM or FGM, and the black-box {@code square} attack when registered) at a list of budgets, at
 * least one of them positive, the black box at {@code blackBoxQueries} queries per sample ({@code null}: its
 * default: proportionate to the iterative attack, {@link Diagnostics.Setup}). Progress counts the model evaluations the
 * checks' attack runs make.
 */
public record DiagnosticsRun(Norm norm, List<Double> budgets, long seed, Integer blackBoxQueries) {
    public DiagnosticsRun {
        if (norm == null) {
            throw new InvalidOptionException("norm", "norm is required");
        }
        if (budgets == null || budgets.stream().noneMatch(e -> e > 0)) {
            throw new InvalidOptionException("eps", "eps: the diagnostics need at least one positive budget");
        }
        budgets = List.copyOf(budgets);
    }

    /** The checks with the black box at its default query budget. */
    public DiagnosticsRun(Norm norm, List<Double> budgets, long seed) {
        this(norm, budgets, seed, null);
    }

    public Diagnostics.Setup setup() {
        return Diagnostics.Setup.standard(norm, budgets, seed).withBlackBoxQueries(blackBoxQueries);
    }

    /** One check as JSON: name, {@code pass} or {@code warn}, evidence, and the numbers behind it. */
    public record CheckJson(String name, String status, String evidence, Map<String, Object> numbers) {
    }

    /** Robust accuracy of one attack the checks ran, at the budgets it ran at. */
    public record Curve(String attack, double[] eps, double[] accuracy) {
    }

    /** The setup that ran, every check's outcome, and the wall time in seconds. */
    public record Result(Diagnostics.Setup setup, List<Diagnostics.Check> checks, double seconds) {
        public List<CheckJson> json() {
            List<CheckJson> out = new ArrayList<>();
            for (Diagnostics.Check c : checks) {
                out.add(new CheckJson(c.name(), c.status().name().toLowerCase(Locale.ROOT), c.evidence(), c.numbers()));
            }
            return out;
        }

        /**
         * The robust accuracies the checks measured, as curves for a chart: the iterative and the single-step attack
         * at every budget ({@code iterative_vs_single}), and the black box at the reference budget
         * ({@code white_vs_black}, one point), each named by its attack. The large budget of {@code large_eps} and
         * the seeds of {@code restarts} are left out (one point far off the budgets' axis; repeats of the iterative
         * attack).
         */
        public List<Curve> curves() {
            List<Curve> out = new ArrayList<>();
            for (Diagnostics.Check c : checks) {
                Map<String, Object> n = c.numbers();
                if (c.name().equals("iterative_vs_single") && n.get("eps") instanceof double[] eps) {
                    for (String attack : List.of(setup.iterative().name(), setup.singleStep().name())) {
                        if (n.get(attack) instanceof double[] acc) {
                            out.add(new Curve(attack, eps, acc));
                        }
                    }
                } else if (c.name().equals("white_vs_black") && setup.blackBox() != null && n.get("eps") instanceof Double eps
                        && n.get("black_box_accuracy") instanceof Double acc) {
                    out.add(new Curve(setup.blackBox().name(), new double[] {eps}, new double[] {acc}));
                }
            }
            return out;
        }

        /** Whether any check warns. */
        public boolean warns() {
            return checks.stream().anyMatch(c -> c.status() == Diagnostics.Status.WARN);
        }
    }

    /**
     * What {@link #run} runs: the attack runs in order ({@link Diagnostics.Setup#plan}) and the model evaluations they
     * spend at most on {@code samples} samples.
     */
    public record Plan(List<Diagnostics.Planned> runs, long queries, int samples) {
        /** The runs grouped by attack, in order of first use, a line each: {@code pgd: 6 runs, at most 22 evaluations per sample each}. */
        public List<String> describe(int classes, int inputSize) {
            Map<String, long[]> by = new java.util.LinkedHashMap<>();
            for (Diagnostics.Planned p : runs) {
                long[] c = by.computeIfAbsent(p.attack().name(), k -> new long[2]);
                c[0]++;
                c[1] = Math.max(c[1], p.queryBound(classes, inputSize));
            }
            List<String> lines = new ArrayList<>();
            by.forEach((name, c) -> lines.add(String.format(Locale.ROOT, "%s: %d run%s, at most %d evaluations per sample%s", name, c[0],
                    c[0] == 1 ? "" : "s", c[1], c[0] == 1 ? "" : " each")));
            return lines;
        }
    }

    /** The plan of {@link #run} on {@code samples} samples of {@code model}. */
    public Plan plan(Classifier model, int samples) {
        int per = model.inputShape().size();
        List<Diagnostics.Planned> runs = setup().plan(model.classes(), per);
        long total = 0;
        for (Diagnostics.Planned p : runs) {
            total += samples * p.queryBound(model.classes(), per);
        }
        return new Plan(runs, total, samples);
    }

    /** Runs the checks; progress counts model evaluations (queries), each run within its bound. */
    public Result run(Classifier model, Tensor x, int[] y, ProgressListener progress) {
        long t0 = System.nanoTime();
        Diagnostics.Setup s = setup();
        int n = y.length;
        int per = model.inputShape().size();
        Plan plan = plan(model, n);
        List<Diagnostics.Check> checks;
        try (ProgressListener.Task bar = progress.start("diagnostics", plan.queries(), "queries")) {
            Counted counted = new Counted(model, bar);
            int[] next = {0};
            Runnable open = () -> {
                if (next[0] < plan.runs().size()) {
                    Diagnostics.Planned p = plan.runs().get(next[0]++);
                    counted.slice(n * p.queryBound(model.classes(), per), p.what());
                }
            };
            open.run();
            checks = Diagnostics.run(counted, x, y, s, what -> {
                counted.endSlice();
                open.run();
            });
            counted.endSlice();
        }
        return new Result(s, checks, (System.nanoTime() - t0) / 1e9);
    }
}
