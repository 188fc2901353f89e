package dev.fovea.cli;

import dev.fovea.attacks.Attack;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.audit.Budgets;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.Stats;
import dev.fovea.audit.report.AttackSection;
import dev.fovea.audit.report.Format;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.DiagnosticsRun;
import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea attack}: robust accuracy of a model under an attack for a list of budgets, with per-sample results,
 * the adversarial images as {@code .npy}, the robustness curve and image grids.
 */
@Command(name = "attack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Attack a model at several budgets: robust accuracy, per-sample results, adversarial images, curve and grids.",
                "Budgets are in pixel units of [0,1] images. 'fovea attack --list' describes the methods."})
public final class AttackCommand implements Callable<Integer> {
    /** The footer of {@code --list}: what taking the gradients in double precision changes, measured (README: "FGSM and float32"). */
    static final String PRECISION = """
            Precision: every attack takes the loss and its gradient on the logits in double precision, where float32 cancels
            for confident samples (the label's probability rounds to 1, its gradient to 0). FGSM at 8/255 on the CIFAR-10
            ResNet-20 (fixtures/fgsm_precision_resnet20.py, 500-image slice) fools 380 of the 399 images it classifies
            correctly, as PyTorch does in float64; PyTorch in float32, as torchattacks runs it, fools 372.""";

    /** The robustness table, printed a budget's row at a time as each is attacked. */
    static final Table TABLE = Table.of(Table.right("eps", 8), Table.right("robust", 10), Table.right("success", 9), Table.right("median L2", 10),
            Table.right("max Linf", 10)).gap(1);

    @Option(names = "--list", description = "Describe every attack and exit.")
    boolean list;

    @Mixin
    ModelOptions.Optional model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to attack (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--method", defaultValue = "pgd", paramLabel = "METHOD", converter = Choices.AttackNames.class,
            completionCandidates = Choices.AttackNames.class,
            description = "Attack, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; --list describes them).")
    String method;

    @Option(names = "--norm", paramLabel = "NORM", completionCandidates = Choices.Norms.class,
            description = "Norm of the budget: ${COMPLETION-CANDIDATES} (default: the method's; l0: the fraction of pixels changed).")
    Norm norm;

    @Option(names = "--eps", split = ",", paramLabel = "EPS", converter = BudgetLists.Converter.class,
            description = {"Budgets: numbers or fractions such as 8/255; a repeat runs once (default: by the input's size, and printed: "
                    + Budgets.RULE + ")."})
    List<Double> eps;

    @Option(names = "--steps", paramLabel = "N", description = "Iterations, at most 10000 (default: the method's).")
    Integer steps;

    @Option(names = "--step-size", paramLabel = "SIZE", converter = BudgetLists.Converter.class,
            description = "Step size in the norm, a number or a fraction such as 2/255 (default: the method's, relative to eps).")
    Double stepSize;

    @Option(names = "--restarts", paramLabel = "N", description = "Random restarts; each sample keeps its worst case (default: 1).")
    Integer restarts;

    @Option(names = "--random-start", negatable = true,
            description = "Start from a random point of the ball, or (--no-random-start) from the image itself (default: the method's).")
    Boolean randomStart;

    @Option(names = "--targeted", paramLabel = "random|least-likely|CLASS", description = "Aim for a class instead of any wrong one.")
    String targeted;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--diagnostics", description = "Also run the gradient-masking checks at these budgets (PGD-20 against FGSM/FGM, and Square at 25 times PGD-20's model evaluations; pass/warn with evidence), said up front with their cost, and add them to attack.json.")
    boolean diagnostics;

    @Mixin
    OutputOptions.Optional out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (list) {
            Table methods = Table.of(Table.left("", Attacks.all().stream().mapToInt(a -> a.name().length()).max().orElse(0)), Table.left(""));
            for (Attack a : Attacks.all()) {
                o.println(methods.line(a.name(), a.describe()));
                String own = MethodOptions.listed(a.optionInfo());
                if (own != null) {
                    o.println(own);
                }
            }
            o.println();
            PRECISION.lines().forEach(o::println);
            o.flush();
            return Cli.OK;
        }
        Required.of(spec).need("--model", model.given()).need("--data", data != null).need("--out", out.given()).check("--list");
        long seed = this.seed.seed;
        Attack attack = Attacks.named(method);
        // without --eps, the options are checked at the grayscale defaults, and run at the model's (below)
        List<Double> given = eps != null ? BudgetLists.once(spec, "--eps", eps) : Budgets.defaults(norm != null ? norm : attack.defaultNorm(), Shape.of(1, 28, 28)).eps();
        AttackRun shared = new AttackRun(attack, norm, given, Target.UNTARGETED, seed, steps, stepSize, restarts, randomStart);
        AttackRun plan = methodOptions.apply(() -> shared.withOptions(methodOptions.values()));
        List<String> overrides = List.of("steps", "stepSize", "restarts", "randomStart");
        IgnoredOptions.warn(spec, plan.attack().unused(IgnoredOptions.given(spec, overrides)), overrides);
        if (diagnostics && eps != null) {
            DiagnosticsReport.check(plan.budgets());
        }
        int batchSize = batch.size();
        ProgressListener progress = Progress.listener(verbosity.quiet);
        try (Classifier m = model.open(batchSize)) {
            AttackRun targetedPlan = plan.withTarget(Target.parse(targeted, m.classNames()));
            if (eps == null) {
                Budgets b = Budgets.defaults(targetedPlan.norm(), m.inputShape());
                targetedPlan = targetedPlan.withBudgets(b.eps());
                o.printf(Locale.ROOT, "budgets: %s (%s; %s; --eps to choose)%n", b.text(),
                        targetedPlan.norm().name().toLowerCase(Locale.ROOT), b.convention());
                o.flush();
            }
            AttackRun run = targetedPlan;
            run.check(m);
            out.open();
            Dataset d = dataOptions.load(data, m);
            if (d.classNames().size() != m.classes()) {
                throw new java.io.IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
            }
            Provenance started = Provenance.of("attack", seed).withCommandLine(Cli.typed(spec)).withModel(model.file(), m);
            Provenance provenance = dataOptions.provenance(started, d).withOptions(run.options());
            String normName = run.norm().name().toLowerCase(Locale.ROOT);
            AttackRun.Result r = run.run(m, d.images(), d.labels(), new AttackRun.Listener() {
                @Override
                public ProgressListener.Task start(String name, long total, String unit) {
                    return progress.start(name, total, unit);
                }

                @Override
                public void clean(double accuracy) {
                    o.printf(Locale.ROOT, "%s %s on %s (%d images, %s): clean accuracy %.2f%%%n", run.attack().name(), normName, d.source(),
                            d.size(), m.backend(), 100 * accuracy);
                    o.println(TABLE.header());
                    o.flush();
                }

                @Override
                public void budget(AttackRun.Budget b) {
                    o.println(TABLE.line(run.name(b.eps()), String.format(Locale.ROOT, "%.2f%%", 100 * b.robustAccuracy()),
                            String.format(Locale.ROOT, "%.2f%%", 100 * b.result().successRate()),
                            String.format(Locale.ROOT, "%.4f", Stats.median(b.result().l2())), String.format(Locale.ROOT, "%.4f", Stats.max(b.result().linf()))));
                    o.flush();
                }
            });
            DiagnosticsRun.Result diag = null;
            if (diagnostics) {
                DiagnosticsRun checks = new DiagnosticsRun(run.norm(), run.budgets(), seed);
                DiagnosticsReport.plan(o, checks, m, d.size(), r);
                diag = checks.run(m, d.images(), d.labels(), progress);
                DiagnosticsReport.print(o, diag);
            }
            AttackSection section = new AttackSection(r, model.file().getFileName().toString(), diag);
            AttackSection.Minimal mp = section.minimal();
            if (mp != null) {
                o.printf(Locale.ROOT, "minimal %s perturbation: found for %d of %d, median %s (p10 %s, p90 %s)%n", mp.norm(),
                        Math.round(mp.successRate() * mp.n()), mp.n(), Format.fourOrInf(mp.p50()), Format.fourOrInf(mp.p10()),
                        Format.fourOrInf(mp.p90()));
            }
            Report.of(provenance, section).write(out.folder());
            out.commit();
            o.println("wrote " + out.dir() + " (attack.json, samples.csv, robustness.png, adversarial_eps*.npy, grid)");
        }
        return Cli.OK;
    }
}
