package dev.fovea.cli;

import dev.fovea.attacks.Diagnostics;
import dev.fovea.audit.run.DiagnosticsRun;

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

    static void print(PrintWriter o, DiagnosticsRun.Result r) {
        Diagnostics.Setup setup = r.setup();
        o.printf(Locale.ROOT, "gradient-masking diagnostics (%s vs %s%s):%n", setup.iterative().name(), setup.singleStep().name(),
                setup.blackBox() == null ? "; no black-box attack registered, white_vs_black not run" : " and " + setup.blackBox().name());
        for (Diagnostics.Check c : r.checks()) {
            o.printf(Locale.ROOT, "  %-20s %-4s  %s%n", c.name(), c.status().name().toLowerCase(Locale.ROOT), c.evidence());
        }
        o.flush();
    }
}
