package dev.fovea.cli;

import dev.fovea.attacks.Diagnostics;
import dev.fovea.audit.report.Format;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.model.Classifier;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code fovea attack --diagnostics}: the option check and the pass/warn table on stdout. */
final class DiagnosticsReport {
    private DiagnosticsReport() {
    }

    /** Throws a usage error when the budgets cannot be diagnosed. */
    static void check(List<Double> budgets) {
        if (budgets.stream().noneMatch(e -> e > 0)) {
            throw new UsageException("--diagnostics needs at least one positive --eps");
        }
    }

    /**
     * Says up front what the checks will run on {@code samples} images and roughly how long they take: as long,
     * for each model evaluation they may make, as {@code attack} took for each it might have made.
     */
    static void plan(PrintWriter o, DiagnosticsRun d, Classifier m, int samples, AttackRun.Result attack) {
        DiagnosticsRun.Plan p = d.plan(m, samples);
        // as long per evaluation they may make as the attack took per evaluation it might have made
        long bound = attack.plan().queryBound(m.classes(), m.inputShape().size(), samples);
        String time = bound > 0
                ? " (up to roughly " + Format.duration(attack.seconds() * p.queries() / bound) + ", judged by the attack's time)"
                : "";
        o.printf(Locale.ROOT, "diagnostics: %d attack runs on %d images, at most %,d model evaluations%s:%n", p.runs().size(), samples,
                p.queries(), time);
        p.describe(m.classes(), m.inputShape().size()).forEach(line -> o.println("  " + line));
        o.flush();
    }

    static void print(PrintWriter o, DiagnosticsRun.Result r) {
        Diagnostics.Setup setup = r.setup();
        o.printf(Locale.ROOT, "gradient-masking diagnostics (%s vs %s%s):%n", setup.iterative().name(), setup.singleStep().name(),
                setup.blackBox() == null ? "; no black-box attack registered, white_vs_black not run" : " and " + setup.blackBox().name());
        Table table = Table.of(Table.left("", 20), Table.left("", 5), Table.left("")).gap(1).indent(2);
        for (Diagnostics.Check c : r.checks()) {
            table.row(c.name(), c.status().name().toLowerCase(Locale.ROOT), c.evidence());
        }
        table.print(o);
        o.flush();
    }
}
