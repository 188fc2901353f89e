package dev.fovea.cli;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.AuditRunner;
import dev.fovea.audit.Gate;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea audit}: how robust a model is and what it looks at, in one self-contained page ({@code index.html})
 * and one {@code report.json}, with release gates for CI ({@code --fail-under}, exit code 4). The profile fixes the
 * work ({@link AuditPlan}), a plan file overrides any of it, {@code --sections} picks sections; every choice is
 * printed and recorded. Without {@code --model} and {@code --data} it audits the bundled convnet on the bundled
 * Fashion-MNIST slice.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Audit a model: clean accuracy, adversarial robustness, attributions and what the network learned, in one page.",
                "The page is self-contained (DIR/index.html), with report.json beside it. Without --model and --data: the bundled convnet "
                        + "on the bundled slice."},
        footer = {"", "Exit codes: 0 ok (every gate passed), 2 usage error, 3 unreadable input or a model failing, 4 a gate failed (the report is written)."})
public final class AuditCommand implements Callable<Integer> {
    /** The bundled model and data, the audit's defaults. */
    static final Path DEFAULT_MODEL = Path.of("fixtures", "models", "convnet.fovea");
    static final Path DEFAULT_DATA = Path.of("fixtures", "data", "fashion-mnist-1k");
    /** The report folder when {@code --out} is not given. */
    static final Path DEFAULT_OUT = Path.of("audit-report");

    @Mixin
    ModelOptions.Optional model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to audit (default with no --model: the bundled fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "PROFILE", completionCandidates = Choices.Profiles.class,
            description = "How much work: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; quick takes about a minute on the bundled model).")
    AuditPlan.Profile profile;

    @Option(names = "--plan", paramLabel = "FILE", description = "JSON or YAML file overriding the profile's choices (the fields of 'plan' in report.json; budgets are numbers or "
                    + "fractions such as 8/255, a repeat runs once).")
    Path planFile;

    @Option(names = "--sections", split = ",", paramLabel = "SECTION",
            description = "Sections to run (default: all): model, robustness, attributions, learned. The verdict and the manifest are always written.")
    List<String> sections;

    @Option(names = "--fail-under", paramLabel = "RULES",
            description = {"Release gates, e.g. clean=0.9,pgd-linf@0.03=0.5,mce=0.25,sanity=pass: exit 4 when one fails.",
                    "Metrics: " + Gate.METRICS + "."})
    String failUnder;

    @Mixin
    SeedOption seed;

    @Mixin
    BatchOptions batch;

    @Mixin
    OutputOptions.Optional out;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Gate> gates = failUnder == null ? List.of() : Gate.parse(failUnder);
        List<AuditRunner.Step> steps = AuditRunner.select(sections == null ? null : sections.stream().map(String::strip).toList());
        AuditRunner.checkGates(gates, steps);
        if (model.given() != (data != null)) {
            throw new UsageException(model.given() ? "--data is required with --model" : "--model is required with --data");
        }
        if (!model.given()) {
            model.model = bundled(DEFAULT_MODEL);
            data = bundled(DEFAULT_DATA).toString();
        }
        if (!out.given()) {
            out.out = DEFAULT_OUT;
        }
        int batchSize = batch.size();
        long seedValue = seed.seed;
        try (Classifier m = model.open(batchSize)) {
            AuditPlan plan = AuditPlan.of(profile, m.inputShape(), seedValue);
            if (planFile != null) {
                plan = plan.overriddenBy(planFile, note -> {
                    err.println(spec.qualifiedName() + ": note: " + note);
                    err.flush();
                });
            }
            if (dataOptions.limit != null) {
                plan = plan.withImages(dataOptions.limit);
            }
            plan = AuditRunner.prepare(plan, m.inputShape(), gates);
            Network net = ModelFile.isFovea(model.file()) ? ModelFile.load(model.file()) : null;
            if (net == null && gates.stream().anyMatch(g -> g.metric().equals("sanity"))) {
                throw new InvalidOptionException("failUnder", "failUnder: 'sanity=pass' needs the randomisation check, which re-initialises the weights"
                        + " of a .fovea model; " + model.file().getFileName() + " is not one");
            }
            out.open();
            Dataset d = dataOptions.load(data, m);
            if (d.classNames().size() != m.classes()) {
                throw new IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
            }
            AuditContext context = new AuditContext(m, model.file(), net, d, plan, null, model.options(batchSize));
            o.printf(Locale.ROOT, "audit of %s (%s) on %s: %d of its %d images%n", model.file(), m.backend(), d.source(), context.data().size(), d.size());
            plan.describe().forEach(line -> o.println("  " + line));
            o.flush();
            Provenance provenance = dataOptions.provenance(Provenance.of("audit", seedValue).withCommandLine(Cli.typed(spec))
                    .withModel(model.file(), m), context.data()).withOptions(options(plan));
            AuditReport report = AuditRunner.run(context, steps, gates, listener(o, Progress.listener(verbosity.quiet)));
            report.write(out.folder().staging(), provenance);
            out.commit();
            o.println();
            o.println(report.verdict());
            o.printf(Locale.ROOT, "wrote %s (index.html, report.json, a folder per section) in %.1f s%n", out.dir(), report.totalSeconds());
            o.flush();
            for (Gate.Outcome g : report.gates()) {
                err.printf(Locale.ROOT, "audit: gate %s: measured %s, needs %s %s: %s%n", g.rule(), g.measured(), g.comparison(),
                        g.comparison().equals("=") ? "pass" : String.format(Locale.ROOT, "%.4g", g.threshold()), g.pass() ? "pass" : "FAIL");
            }
            err.flush();
            return report.passed() ? Cli.OK : Cli.GATE;
        }
    }

    /** Every option of the run by library name, for the manifest. */
    private Map<String, Object> options(AuditPlan plan) {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("profile", profile.spelling());
        opts.put("plan", planFile == null ? null : planFile.toString());
        opts.put("sections", sections);
        opts.put("failUnder", failUnder);
        opts.put("limit", dataOptions.limit);
        opts.put("perClass", dataOptions.perClass);
        opts.put("batchSize", batch.batchSize);
        opts.put("seed", seed.seed);
        opts.put("images", plan.images());
        opts.values().removeIf(java.util.Objects::isNull);
        return opts;
    }

    /** Prints each section as it starts and ends; progress bars for the loops. */
    private static AuditRunner.Listener listener(PrintWriter o, ProgressListener bars) {
        return new AuditRunner.Listener() {
            @Override
            public ProgressListener.Task start(String name, long total, String unit) {
                return bars.start(name, total, unit);
            }

            @Override
            public void started(AuditRunner.Step step, int index, int of) {
                o.printf(Locale.ROOT, "[%d/%d] %s%n", index, of, step.title().toLowerCase(Locale.ROOT));
                o.flush();
            }

            @Override
            public void done(AuditRunner.Step step, AuditSection section, double seconds) {
                section.notes().forEach(n -> o.println("  note: " + n));
                o.printf(Locale.ROOT, "  done in %.1f s%n", seconds);
                o.flush();
            }
        };
    }

    /** A bundled file: under the working folder, else beside the fovea jar's repository ({@code cli/target/fovea.jar}). */
    static Path bundled(Path relative) {
        if (Files.exists(relative)) {
            return relative;
        }
        try {
            Path jar = Path.of(AuditCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(relative))) {
                    return p.resolve(relative);
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no jar location to search from: the relative path below fails with its name
        }
        return relative;
    }
}
