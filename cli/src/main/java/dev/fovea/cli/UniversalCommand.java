package dev.fovea.cli;

import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Universal;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.report.UniversalSection;
import dev.fovea.audit.run.UniversalRun;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea universal}: one universal adversarial perturbation (Moosavi-Dezfooli et al. 2017) fitted on the first
 * images of a data set and measured on the rest: fooling rates, held-out accuracy without and with it, the
 * perturbation as {@code .npy} and as a picture.
 */
@Command(name = "universal", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit one universal adversarial perturbation and measure how many held-out predictions it changes.",
                "Moosavi-Dezfooli et al. 2017: fitted on the first --fit images, measured on the others. The budget is in pixel units of "
                        + "[0,1] images."})
public final class UniversalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Images: the first --fit to fit on, the rest held out.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--fit", paramLabel = "N", description = "Images to fit on (default: half of them).")
    Integer fit;

    @Option(names = "--norm", paramLabel = "NORM", completionCandidates = Choices.Norms.class,
            description = "Norm of the budget, one of ${COMPLETION-CANDIDATES}; universal perturbations work in l2 or linf (default: l2).")
    Norm norm = Norm.L2;

    @Option(names = "--eps", required = true, paramLabel = "EPS", converter = BudgetLists.Converter.class,
            description = "Budget of the perturbation in the norm, a number or a fraction such as 8/255.")
    double eps;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "5", description = "The most passes over the fitting images (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--fooling-rate", paramLabel = "RATE", defaultValue = "0.8",
            description = "Stop once this fraction of the fitting images is fooled (1 - delta; default: ${DEFAULT-VALUE}).")
    double foolingRate;

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
        Universal.Options d = Universal.Options.defaults(norm, eps);
        Universal.Options options = new Universal.Options(norm, eps, foolingRate, passes, d.deepFoolSteps(), d.overshoot(), seed.seed);
        if (fit != null && fit < 1) {
            throw new UsageException("--fit must be at least 1, got " + fit);
        }
        try (Classifier m = model.open(batch.size())) {
            if (norm == Norm.L2 && eps > Math.sqrt(m.inputShape().size())) {
                throw new UsageException(String.format(Locale.ROOT, "--eps must be at most sqrt(C*H*W) = %.2f for l2 on inputs %s, got %s",
                        Math.sqrt(m.inputShape().size()), m.inputShape(), eps));
            }
            Dataset ds = dataOptions.load(data, m);
            if (ds.classNames().size() != m.classes()) {
                throw new java.io.IOException(data + ": has " + ds.classNames().size() + " classes, the model " + m.classes());
            }
            int k = fit != null ? fit : ds.size() / 2;
            if (k < 1 || k >= ds.size()) {
                throw new UsageException("--fit must leave images held out: got " + k + " of " + ds.size() + " images");
            }
            out.open();
            UniversalRun run = new UniversalRun(options, k);
            String normName = norm.name().toLowerCase(Locale.ROOT);
            o.printf(Locale.ROOT, "universal %s eps %s on %s (%d images, %s): fitting on %d, %d held out%n", normName, eps, ds.source(), ds.size(),
                    m.backend(), k, ds.size() - k);
            o.flush();
            UniversalRun.Result r = run.run(m, ds.images(), ds.labels());
            for (int p = 0; p < r.universal().foolingRates().size(); p++) {
                o.printf(Locale.ROOT, "pass %d: fooling rate %.2f%% on the fitting images%n", p + 1, 100 * r.universal().foolingRates().get(p));
            }
            o.printf(Locale.ROOT, "held out: fooling rate %.2f%%, accuracy %.2f%% -> %.2f%%%n", 100 * r.heldOutFoolingRate(), 100 * r.cleanAccuracy(),
                    100 * r.perturbedAccuracy());
            Map<String, Object> opts = new LinkedHashMap<>();
            opts.put("norm", normName);
            opts.put("eps", eps);
            opts.put("fit", k);
            opts.put("passes", passes);
            opts.put("foolingRate", foolingRate);
            Provenance started = Provenance.of("universal", seed.seed).withCommandLine(Cli.typed(spec)).withModel(model.file(), m);
            Provenance provenance = dataOptions.provenance(started, ds).withOptions(opts);
            Report.of(provenance, new UniversalSection(r)).write(out.folder());
            out.commit();
            o.println("wrote " + out.dir() + " (universal.json, perturbation.npy, perturbation.png)");
        }
        return Cli.OK;
    }
}
