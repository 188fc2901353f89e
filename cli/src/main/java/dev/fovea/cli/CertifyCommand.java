package dev.fovea.cli;

import dev.fovea.attacks.certify.SmoothingOptions;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.CertifySection;
import dev.fovea.audit.report.Format;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.run.CertifyRun;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea certify}: randomized smoothing's certified L2 robustness of a model ({@link CertifyRun},
 * {@link CertifySection}): certified accuracy against radius, one certificate per image, and optionally an L2
 * attack's empirical robust accuracy beside it.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Certify L2 robustness by randomized smoothing (Cohen, Rosenfeld & Kolter 2019).",
                "The smoothed classifier's prediction per image with the radius within which it provably holds (probability 1 - alpha), "
                        + "certified accuracy against radius, and optionally an L2 attack beside it.",
                "The base model should be trained with Gaussian noise of the same sigma: 'fovea train --noise SIGMA'."})
public final class CertifyCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Data to certify (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--sigma", required = true, paramLabel = "SIGMA",
            description = "Standard deviation of the smoothing noise, in pixel units of [0,1] images (the paper: 0.12 to 1).")
    double sigma;

    @Option(names = "--n0", defaultValue = "" + SmoothingOptions.DEFAULT_N0, paramLabel = "N",
            description = "Draws that select the class to certify (default: ${DEFAULT-VALUE}, as the paper).")
    int n0;

    @Option(names = "--n", defaultValue = "" + SmoothingOptions.DEFAULT_N, paramLabel = "N",
            description = {"Draws that estimate the selected class's probability (default: ${DEFAULT-VALUE}; the paper: 100000).",
                    "The largest radius n draws can certify is sigma * Phi^-1(alpha^(1/n)): 2.46 sigma at 1000, 3.81 sigma at 100000."})
    int n;

    @Option(names = "--alpha", defaultValue = "" + SmoothingOptions.DEFAULT_ALPHA, paramLabel = "A",
            description = "Failure probability of each certificate, in (0,1) (default: ${DEFAULT-VALUE}, as the paper).")
    double alpha;

    @Option(names = "--radii", split = ",", paramLabel = "RADIUS", converter = BudgetLists.Converter.class,
            description = "L2 radii, numbers or fractions, at which certified accuracy is reported and the attack run; a repeat runs once "
                    + "(default: 0,0.25,0.5,0.75,1).")
    List<Double> radii;

    @Option(names = "--attack", paramLabel = "METHOD", converter = Choices.L2Attacks.class, completionCandidates = Choices.L2Attacks.class,
            description = "Also run this L2 attack on the base classifier at the radii, one of ${COMPLETION-CANDIDATES}, and the smoothed "
                    + "classifier on its examples.")
    String attack;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        CertifyRun plan = new CertifyRun(new SmoothingOptions(sigma, n0, n, alpha, seed.seed), radii == null ? CertifyRun.DEFAULT_RADII
                : BudgetLists.once(spec, "--radii", radii), null);
        if (attack != null) {
            try {
                plan = plan.withAttack(attack);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--attack " + attack + ": " + e.getMessage() + " (the certificate is an L2 radius)");
            }
        }
        int batchSize = batch.size();
        ProgressListener progress = Progress.listener(verbosity.quiet);
        try (Classifier m = model.open(batchSize)) {
            CertifyRun run = plan;
            if (run.attack() != null) {
                run.attack().check(m);
            }
            out.open();
            Dataset d = dataOptions.load(data, m);
            if (d.classNames().size() != m.classes()) {
                throw new IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
            }
            Provenance started = Provenance.of("certify", seed.seed).withCommandLine(Cli.typed(spec)).withModel(model.file(), m);
            Provenance provenance = dataOptions.provenance(started, d).withOptions(run.options());
            CertifyRun.Result r = run.run(m, d.images(), d.labels(), progress);
            String name = model.file().getFileName().toString();
            print(o, r, d, name);
            dev.fovea.audit.report.Report.of(provenance, new CertifySection(r, name)).write(out.folder());
            out.commit();
            o.println("wrote " + out.dir() + " (certify.json, certify.csv, certified_accuracy.png)");
        }
        o.flush();
        return Cli.OK;
    }

    /** The summary and the table of certified (and empirical) accuracy per radius. */
    static void print(PrintWriter o, CertifyRun.Result r, Dataset d, String modelName) {
        SmoothingOptions s = r.plan().smoothing();
        o.printf(Locale.ROOT, "%s on %s (%d images): base accuracy %.2f%%; smoothed with sigma %s, n0 %d, n %d, alpha %s: abstained on %.2f%%"
                        + " (largest radius %d draws can certify: %.3f)%n", modelName, d.source(), r.size(), 100 * r.baseAccuracy(),
                Format.eps(s.sigma()), s.n0(), s.n(), s.alpha(), 100 * r.abstention(), s.n(), s.largestRadius());
        boolean attacked = !r.empirical().isEmpty();
        String method = attacked ? r.plan().attack().attack().name() : "";
        List<Table.Column> columns = new ArrayList<>(List.of(Table.right("radius", 8), Table.right("certified", 10)));
        if (attacked) {
            columns.add(Table.right(method + " on base", 14));
            columns.add(Table.right("smoothed on it", 16));
        }
        Table table = Table.of(columns.toArray(Table.Column[]::new)).gap(1);
        for (int i = 0; i < r.atRadii().size(); i++) {
            CertifyRun.Point p = r.atRadii().get(i);
            List<String> row = new ArrayList<>(List.of(Format.eps(p.radius()), percent(p.certifiedAccuracy())));
            if (attacked) {
                CertifyRun.Empirical e = r.empirical().get(i);
                row.add(percent(e.baseRobustAccuracy()));
                row.add(percent(e.smoothedAccuracy()));
            }
            table.row(row.toArray());
        }
        table.print(o);
        o.printf(Locale.ROOT, "time: %.1f s%n", r.seconds());
        o.flush();
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
