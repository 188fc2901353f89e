package dev.fovea.audit.sections;

import dev.fovea.attacks.AttackResult;
import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.Gate;
import dev.fovea.audit.Stats;
import dev.fovea.audit.report.AttackSection;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Charts;
import dev.fovea.audit.report.Figures;
import dev.fovea.audit.report.Format;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.data.Dataset;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Adversarial robustness: every attack of the plan ({@link AttackRun}) at its budgets, robust accuracy against eps
 * per attack and norm ({@code robustness.png}, one panel per norm), the worst case per budget over the attacks of
 * a norm, the cumulative distribution of the minimal perturbations of the minimum-norm attacks
 * ({@code minimal.png}), the gradient-masking checks of Carlini et al. 2019 with their evidence
 * ({@link DiagnosticsRun}), and per attack its folder ({@code pgd-linf/}: {@code samples.csv}, curve, grid of
 * adversarial examples, minimal-perturbation plot).
 *
 * <p>The worst case at a budget counts a sample as robust when it is classified correctly and no attack of the norm
 * that ran at that budget changed its prediction, over the first images every such attack saw (attacks may run on
 * fewer images than the audit: {@link AuditPlan.AttackSpec#images}). The verdict's flip rate is the fraction of
 * those correctly classified images that some L-inf attack flips at the plan's {@link AuditPlan#verdictEps}.
 */
public record RobustnessSection(Numbers numbers, List<AttackRun.Result> results, DiagnosticsRun.Result diagnosticsResult, String modelName,
                                double seconds) implements AuditSection {
    /** One budget of one attack. */
    public record BudgetRow(double eps, String name, double robustAccuracy, double successRate, double medianL2, double maxLinf) {
    }

    /** One attack: its key ({@code pgd-linf}), images, steps and restarts as run, clean accuracy, budgets, minimal perturbations. */
    public record AttackNumbers(String key, String method, String norm, int images, int steps, int restarts, double cleanAccuracy,
                                List<BudgetRow> budgets, AttackSection.Minimal minimalPerturbation, double seconds) {
    }

    /** The worst case at one budget: robust accuracy over the attacks that ran at it, and the strongest of them alone. */
    public record WorstRow(double eps, String name, double robustAccuracy, String strongest, List<String> attacks) {
    }

    /** The worst case of one norm, over its first {@code images} images. */
    public record WorstCase(String norm, int images, List<WorstRow> budgets) {
    }

    /** The verdict's flip rate: of {@code correct} correctly classified images, {@code flipped} are flipped at {@code eps}. */
    public record Flips(double eps, String norm, int images, int correct, int flipped, double fraction, List<String> attacks) {
    }

    /** The section's numbers. */
    public record Numbers(List<AttackNumbers> attacks, List<WorstCase> worstCase, Flips verdict, List<DiagnosticsRun.CheckJson> diagnostics) {
    }

    public static RobustnessSection run(AuditContext c) {
        long t0 = System.nanoTime();
        Shape input = c.model().inputShape();
        List<AttackRun.Result> results = new ArrayList<>();
        for (AuditPlan.AttackSpec spec : c.plan().attacks()) {
            Dataset d = c.first(spec.images());
            results.add(spec.run(input, c.plan().seed()).run(c.model(), d.images(), d.labels(), c.progress()));
        }
        DiagnosticsRun.Result diag = null;
        AuditPlan.DiagnosticsSpec ds = c.plan().diagnostics();
        if (ds != null) {
            Dataset d = c.first(ds.images());
            diag = ds.run(input, c.plan().seed()).run(c.model(), d.images(), d.labels(), c.progress());
        }
        List<AttackNumbers> attacks = new ArrayList<>();
        for (AttackRun.Result r : results) {
            attacks.add(numbers(r));
        }
        List<WorstCase> worst = new ArrayList<>();
        for (String norm : norms(results)) {
            worst.add(worst(norm, results));
        }
        Flips flips = flips(c.plan().verdictEps(), results);
        return new RobustnessSection(new Numbers(attacks, worst, flips, diag == null ? null : diag.json()), results, diag,
                c.modelFile().getFileName().toString(), (System.nanoTime() - t0) / 1e9);
    }

    private static String key(AttackRun.Result r) {
        return r.plan().attack().name() + "-" + norm(r);
    }

    private static String norm(AttackRun.Result r) {
        return r.plan().norm().name().toLowerCase(Locale.ROOT);
    }

    private static List<String> norms(List<AttackRun.Result> results) {
        return new ArrayList<>(new LinkedHashSet<>(results.stream().map(RobustnessSection::norm).toList()));
    }

    private static AttackNumbers numbers(AttackRun.Result r) {
        List<BudgetRow> rows = new ArrayList<>();
        for (AttackRun.Budget b : r.budgets()) {
            AttackResult a = b.result();
            rows.add(new BudgetRow(b.eps(), r.plan().name(b.eps()), b.robustAccuracy(), a.successRate(), Stats.median(a.l2()), Stats.max(a.linf())));
        }
        var cfg = r.plan().reported();
        AttackSection.Minimal m = new AttackSection(r, "").minimal();
        return new AttackNumbers(key(r), r.plan().attack().name(), norm(r), r.size(), cfg.steps(), cfg.restarts(), r.cleanAccuracy(), rows, m,
                r.seconds());
    }

    /** Whether sample {@code i} is classified correctly and no attack in {@code at} changed that at budget {@code eps}. */
    private static boolean robust(int i, double eps, List<AttackRun.Result> at) {
        for (AttackRun.Result r : at) {
            if (r.cleanPrediction()[i] != r.labels()[i] || r.at(eps).result().adversarialPrediction()[i] != r.labels()[i]) {
                return false;
            }
        }
        return true;
    }

    private static List<AttackRun.Result> atBudget(String norm, double eps, List<AttackRun.Result> results) {
        return results.stream().filter(r -> norm(r).equals(norm) && r.plan().budgets().contains(eps)).toList();
    }

    private static WorstCase worst(String norm, List<AttackRun.Result> results) {
        List<AttackRun.Result> ofNorm = results.stream().filter(r -> norm(r).equals(norm)).toList();
        int n = ofNorm.stream().mapToInt(AttackRun.Result::size).min().orElse(0);
        TreeSet<Double> eps = new TreeSet<>();
        ofNorm.forEach(r -> eps.addAll(r.plan().budgets()));
        List<WorstRow> rows = new ArrayList<>();
        for (double e : eps) {
            List<AttackRun.Result> at = atBudget(norm, e, results);
            int robust = 0;
            for (int i = 0; i < n; i++) {
                robust += robust(i, e, at) ? 1 : 0;
            }
            AttackRun.Result strongest = at.stream().min((a, b) -> Double.compare(a.at(e).robustAccuracy(), b.at(e).robustAccuracy())).orElseThrow();
            rows.add(new WorstRow(e, Format.eps(e, eps), n == 0 ? 0 : (double) robust / n, key(strongest), at.stream().map(RobustnessSection::key).toList()));
        }
        return new WorstCase(norm, n, rows);
    }

    private static Flips flips(double eps, List<AttackRun.Result> results) {
        List<AttackRun.Result> at = atBudget("linf", eps, results);
        if (at.isEmpty()) {
            return null;
        }
        int n = at.stream().mapToInt(AttackRun.Result::size).min().orElse(0);
        int correct = 0;
        int flipped = 0;
        AttackRun.Result first = at.get(0);
        for (int i = 0; i < n; i++) {
            if (first.cleanPrediction()[i] == first.labels()[i]) {
                correct++;
                flipped += robust(i, eps, at) ? 0 : 1;
            }
        }
        return new Flips(eps, "linf", n, correct, flipped, correct == 0 ? 0 : (double) flipped / correct, at.stream().map(RobustnessSection::key).toList());
    }

    @Override
    public String name() {
        return "robustness";
    }

    @Override
    public String title() {
        return "Adversarial robustness";
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (AttackNumbers a : numbers.attacks()) {
            for (BudgetRow b : a.budgets()) {
                m.put(Gate.key(a.key(), b.eps()), b.robustAccuracy());
            }
        }
        for (WorstCase w : numbers.worstCase()) {
            for (WorstRow r : w.budgets()) {
                m.put(Gate.key("worst-" + w.norm(), r.eps()), r.robustAccuracy());
            }
        }
        if (diagnosticsResult != null) {
            m.put("diagnostics", diagnosticsResult.warns() ? 0.0 : 1.0);
        }
        return m;
    }

    @Override
    public String verdict() {
        Flips f = numbers.verdict();
        if (f == null) {
            return null;
        }
        return String.format(Locale.ROOT, "at eps %s (L-inf), %s of the correctly classified test images can be flipped", eps255(f.eps()),
                AuditReport.percent(f.fraction()).replace(".0%", "%"));
    }

    /** A budget as a person writes it: {@code 8/255} when it is one, else its decimal. */
    static String eps255(double e) {
        double k = e * 255;
        if (e == 0) {
            return "0";
        }
        return Math.abs(k - Math.rint(k)) < 1e-9 && e < 0.1 ? (long) Math.rint(k) + "/255" : Format.eps(e);
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        for (AttackRun.Result r : results) {
            Path sub = Files.createDirectories(dir.resolve(key(r)));
            for (String f : new AttackSection(r, modelName, null).writeTablesAndPictures(sub)) {
                files.add(key(r) + "/" + f);
            }
        }
        List<Charts.Panel> panels = new ArrayList<>();
        for (String norm : norms(results)) {
            List<Charts.Series> series = new ArrayList<>();
            AttackRun.Result any = null;
            for (AttackRun.Result r : results) {
                if (norm(r).equals(norm)) {
                    series.add(new Charts.Series(r.plan().attack().name(), r.budgets().stream().mapToDouble(AttackRun.Budget::eps).toArray(),
                            r.budgets().stream().mapToDouble(AttackRun.Budget::robustAccuracy).toArray(), false).startingAt(r.cleanAccuracy()));
                    any = r;
                }
            }
            WorstCase w = numbers.worstCase().stream().filter(x -> x.norm().equals(norm)).findFirst().orElseThrow();
            int correct = 0;
            for (int i = 0; i < w.images(); i++) {
                correct += any.cleanPrediction()[i] == any.labels()[i] ? 1 : 0;
            }
            series.add(new Charts.Series("worst case", w.budgets().stream().mapToDouble(WorstRow::eps).toArray(),
                    w.budgets().stream().mapToDouble(WorstRow::robustAccuracy).toArray(), true).startingAt(w.images() == 0 ? 0 : (double) correct / w.images()));
            panels.add(new Charts.Panel(normTitle(norm), "eps (" + normTitle(norm) + ", pixel units)", "robust accuracy", 1.0, series));
        }
        if (!panels.isEmpty()) {
            Charts.panels(dir.resolve("robustness.png"), panels, 520, 380);
            files.add("robustness.png");
        }
        List<Charts.Panel> cdf = new ArrayList<>();
        for (String norm : norms(results)) {
            List<Charts.Series> series = new ArrayList<>();
            for (AttackRun.Result r : results) {
                if (norm(r).equals(norm) && r.hasMinimalNorm()) {
                    series.add(cdf(r));
                }
            }
            if (!series.isEmpty()) {
                cdf.add(new Charts.Panel("minimal " + normTitle(norm) + " perturbation", "eps (" + normTitle(norm) + ")",
                        "fraction of images fooled within eps", 1.0, series));
            }
        }
        if (!cdf.isEmpty()) {
            Charts.panels(dir.resolve("minimal.png"), cdf, 520, 380);
            files.add("minimal.png");
        }
        return files;
    }

    static String normTitle(String norm) {
        return Format.norm(norm);
    }

    /** The empirical distribution of the minimal perturbations on 101 points up to a round number above the largest found. */
    private static Charts.Series cdf(AttackRun.Result r) {
        double[] s = Stats.sorted(r.budgets().get(0).result().minimalNorm());
        int found = (int) Arrays.stream(s).filter(Double::isFinite).count();
        double top = found == 0 ? 1 : Format.roundUp(Math.max(s[found - 1], 1e-6));
        double[] x = new double[101];
        double[] y = new double[101];
        for (int g = 0, i = 0; g <= 100; g++) {
            x[g] = top * g / 100;
            while (i < found && s[i] <= x[g] * (1 + 1e-12)) {
                i++;
            }
            y[g] = (double) i / Math.max(1, s.length);
        }
        return new Charts.Series(r.plan().attack().name() + " (" + r.size() + " images)", x, y, false);
    }

    @Override
    public Map<String, Object> view(Figures figures) throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        List<Map<String, Object>> tables = new ArrayList<>();
        for (WorstCase w : numbers.worstCase()) {
            List<Map<String, Object>> head = new ArrayList<>();
            for (WorstRow r : w.budgets()) {
                head.add(Map.of("eps", eps255(r.eps())));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (AttackNumbers a : numbers.attacks()) {
                if (!a.norm().equals(w.norm())) {
                    continue;
                }
                List<Map<String, Object>> cells = new ArrayList<>();
                for (WorstRow r : w.budgets()) {
                    BudgetRow b = a.budgets().stream().filter(x -> x.eps() == r.eps()).findFirst().orElse(null);
                    cells.add(Map.of("v", b == null ? "-" : AuditReport.percent(b.robustAccuracy())));
                }
                String setup = a.minimalPerturbation() != null ? "minimum norm" : a.steps() <= 1 ? "single step"
                        : a.steps() + " steps" + (a.restarts() > 1 ? ", " + a.restarts() + " restarts" : "");
                rows.add(Map.of("attack", a.method(), "setup", setup, "images", a.images(), "cells", cells));
            }
            List<Map<String, Object>> worst = new ArrayList<>();
            for (WorstRow r : w.budgets()) {
                worst.add(Map.of("v", AuditReport.percent(r.robustAccuracy()), "strongest", r.strongest()));
            }
            tables.add(Map.of("norm", normTitle(w.norm()), "images", w.images(), "head", head, "rows", rows, "worst", worst));
        }
        v.put("tables", tables);
        List<Object> figs = new ArrayList<>();
        if (numbers.attacks().size() > 0) {
            figs.add(figures.figure("robustness.png", "Robust accuracy against the budget, per attack and norm, from the clean accuracy at 0; dashed: the worst"
                    + " case over the norm's attacks (a sample counts only if no attack fooled it)."));
        }
        v.put("curves", figs);
        List<Map<String, Object>> minimal = new ArrayList<>();
        for (AttackNumbers a : numbers.attacks()) {
            AttackSection.Minimal m = a.minimalPerturbation();
            if (m != null) {
                minimal.add(Map.of("attack", a.method(), "norm", normTitle(a.norm()), "found", AuditReport.percent(m.successRate()),
                        "p10", Format.fourOrInf(m.p10()), "p50", Format.fourOrInf(m.p50()), "p90", Format.fourOrInf(m.p90())));
            }
        }
        v.put("minimal", minimal);
        if (!minimal.isEmpty()) {
            v.put("minimalFigure", figures.figure("minimal.png", "Cumulative distribution of the smallest perturbation that fools each image"
                    + " (images the model gets wrong count at 0, images never fooled never)."));
        }
        if (diagnosticsResult != null) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (DiagnosticsRun.CheckJson ch : numbers.diagnostics()) {
                checks.add(Map.of("name", ch.name().replace('_', ' '), "status", ch.status(), "pass", ch.status().equals("pass"), "evidence", ch.evidence()));
            }
            v.put("diagnostics", checks);
            v.put("diagnosticsPass", !diagnosticsResult.warns());
            var s = diagnosticsResult.setup();
            v.put("diagnosticsSetup", s.iterative().name() + " against " + s.singleStep().name() + (s.blackBox() == null ? "" : " and " + s.blackBox().name())
                    + ", " + normTitle(s.norm().name().toLowerCase(Locale.ROOT)) + " at " + String.join(", ", s.eps().stream().map(RobustnessSection::eps255).toList()));
        }
        List<Object> grids = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (AttackRun.Result r : results) {
            AttackSection a = new AttackSection(r, modelName, null);
            if (seen.contains(norm(r)) || a.gridFile() == null || r.hasMinimalNorm()) {
                continue;
            }
            seen.add(norm(r));
            grids.add(figures.figure(key(r) + "/" + a.gridFile(), String.format(Locale.ROOT, "%s (%s) at eps %s: original with the model's"
                    + " prediction and the true label, perturbation amplified with its size, adversarial image with its prediction.", r.plan().attack().name(), normTitle(norm(r)),
                    eps255(a.gridBudget().eps()))));
        }
        v.put("grids", grids);
        Flips f = numbers.verdict();
        if (f != null) {
            v.put("flips", String.format(Locale.ROOT, "%d of %d", f.flipped(), f.correct()));
            v.put("flipEps", eps255(f.eps()));
        }
        return v;
    }
}
