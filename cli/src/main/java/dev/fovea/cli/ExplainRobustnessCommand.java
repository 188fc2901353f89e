package dev.fovea.cli;

import dev.fovea.audit.report.ExplainRobustnessSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.ExplainRobustnessRun;
import dev.fovea.data.Dataset;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.trust.Fragility;
import dev.fovea.model.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea explain robustness}: how far each method's maps move when the images are perturbed within a budget
 * that keeps the prediction (Ghorbani et al. 2019): rank correlation and top-k intersection per method.
 */
@Command(name = "robustness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explanation robustness (Ghorbani et al. 2019): how far maps move when the images barely change.",
                "Attack (PGD), add random sign noise to, or corrupt the images within a small budget, keep those whose prediction holds, "
                        + "and measure how far each method's map moves (Spearman rank correlation and top-k intersection of |map|; 1 is unmoved)."})
public final class ExplainRobustnessCommand implements Callable<Integer> {
    @Mixin
    ModelOptions.Required model;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Images to explain.")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    TrustOptions trust;

    @Option(names = "--perturbation", defaultValue = "attack", paramLabel = "KIND", completionCandidates = Choices.Perturbations.class,
            description = "What moves the images, one of ${COMPLETION-CANDIDATES}: a label attack within --eps, random sign noise of --eps, "
                    + "or --corruption at --severity (default: ${DEFAULT-VALUE}).")
    ExplainRobustnessRun.Kind perturbation;

    @Option(names = "--attack", defaultValue = "pgd", paramLabel = "METHOD", converter = Choices.LinfBudgetAttacks.class,
            completionCandidates = Choices.LinfBudgetAttacks.class,
            description = "The attack, one of ${COMPLETION-CANDIDATES} (see 'fovea attack --list'; default: ${DEFAULT-VALUE}).")
    String attack;

    @Option(names = "--eps", defaultValue = "0.01", paramLabel = "EPS", converter = BudgetLists.Converter.class,
            description = "L-inf budget of the attack or the noise, pixel units, a number or a fraction such as 2/255 (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--corruption", defaultValue = "gaussian-noise", paramLabel = "NAME", converter = Choices.CorruptionNames.class,
            completionCandidates = Choices.CorruptionNames.class,
            description = "The corruption, one of ${COMPLETION-CANDIDATES} (see 'fovea augment --list'; default: ${DEFAULT-VALUE}).")
    String corruption;

    @Option(names = "--severity", paramLabel = "1-5", defaultValue = "1", description = "Severity of the corruption, 1 to 5 (default: ${DEFAULT-VALUE}).")
    int severity;

    @Option(names = "--top-fraction", paramLabel = "FRACTION", defaultValue = "0.1",
            description = "Share of the pixels in the top-k intersection (default: ${DEFAULT-VALUE}; Ghorbani et al.: 1000 of 224x224).")
    double topFraction;

    @Mixin
    OutputOptions.Required out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        List<Attribution> methods = trust.methods();
        ExplainRobustnessRun.Perturbation p = switch (perturbation) {
            case ATTACK -> ExplainRobustnessRun.Perturbation.attack(attack, eps);
            case NOISE -> ExplainRobustnessRun.Perturbation.noise(eps);
            case CORRUPTION -> ExplainRobustnessRun.Perturbation.corruption(corruption, severity);
        };
        List<ExplainConfig> configs = methods.stream().map(trust::config).toList();
        ExplainRobustnessRun plan = new ExplainRobustnessRun(methods, configs, p, topFraction, trust.seed.seed);
        try (Classifier m = model.open(trust.batch.size())) {
            Dataset d = dataOptions.load(data, m);
            out.open();
            o.printf(Locale.ROOT, "explanation robustness on %s (%d images, %s) under %s, methods %s%n", model.file().getFileName(), d.size(), m.backend(),
                    p.describe(), String.join(", ", methods.stream().map(Attribution::name).toList()));
            o.flush();
            ExplainRobustnessRun.Result r = plan.run(m, d.images());
            Fragility.Result f = r.fragility();
            o.printf(Locale.ROOT, "%d of %d images keep their prediction (largest L-inf change %.4g); top-k: %d pixels%n", f.keptCount(), r.size(), r.linf(), f.k());
            Table table = Table.of(Table.left("method", 22), Table.right("rank corr.", 12), Table.right("top-k", 12)).gap(1);
            for (int j = 0; j < methods.size(); j++) {
                table.row(f.methods().get(j), String.format(Locale.ROOT, "%.3f", Fragility.Result.mean(f.spearman(), j)),
                        String.format(Locale.ROOT, "%.3f", Fragility.Result.mean(f.topK(), j)));
            }
            table.print(o);
            Provenance prov = dataOptions.provenance(Provenance.of("explain robustness", trust.seed.seed).withCommandLine(Cli.typed(spec))
                    .withModel(model.file(), m), d).withOptions(plan.options());
            Report.of(prov, new ExplainRobustnessSection(r)).write(out.folder());
            out.commit();
            o.println("wrote " + out.dir() + " (robustness.json, robustness.csv, robustness.png)");
            o.flush();
        }
        return Cli.OK;
    }
}
