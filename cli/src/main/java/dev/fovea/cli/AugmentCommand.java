package dev.fovea.cli;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.AugmentSection;
import dev.fovea.audit.report.CorruptionExport;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Scale;
import dev.fovea.image.corrupt.Suite;
import dev.fovea.io.ResultFolder;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fovea augment}: a model under the common corruptions (ImageNet-C, CIFAR-10-C) and the augmentations:
 * accuracy, flip rate and the true class's probability per corruption and severity, mean corruption errors, example
 * grids and charts ({@link CorruptionRun}, {@link AugmentSection}); {@code --export} writes the corrupted data set
 * ({@link CorruptionExport}); {@code --list} describes every registered corruption.
 */
@Command(name = "augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure accuracy under common corruptions and augmentations, per corruption and severity.",
                "Flip rate and mean corruption error, example grids and charts. 'fovea augment --list' describes the corruptions and their "
                        + "parameters per severity."})
public final class AugmentCommand implements Callable<Integer> {
    /** The image sizes whose parameters {@code --list} gives: the two tables' own. */
    static final int[] LISTED_SIZES = {32, 224};

    @Option(names = "--list", description = "Describe every registered corruption, with its parameters per severity, and exit.")
    boolean list;

    @Mixin
    ModelOptions.Optional model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to corrupt (e.g. fixtures/data/fashion-mnist-1k).")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--corruptions", defaultValue = "all", paramLabel = "all|benchmark|extra|augmentations|LIST",
            description = {"Corruptions: all, a suite, or names, comma-separated (default: ${DEFAULT-VALUE}).",
                    "A group skips, and says so, the colour-only ones on grayscale data; a colour-only one named on grayscale data is an error."})
    String corruptions;

    @Option(names = "--severities", defaultValue = "1-5", paramLabel = "1-5|LIST",
            description = "Severities from 1 to 5: a range or a list such as 1,3,5 (default: ${DEFAULT-VALUE}).")
    String severities;

    @Option(names = "--examples", defaultValue = "" + CorruptionRun.DEFAULT_EXAMPLES, paramLabel = "N",
            description = "Images drawn in example grids, one grid each (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--reference", paramLabel = "FILE",
            description = "Another model's augment.json: normalise the corruption errors by its own (CE, mCE and relative mCE of ImageNet-C).")
    Path reference;

    @Option(names = "--export", paramLabel = "DIR",
            description = "Also write the corrupted data set to DIR (as a whole, like --out): one file or folder per corruption and severity.")
    Path export;

    @Option(names = "--export-format", defaultValue = "npy", paramLabel = "FORMAT", completionCandidates = Choices.Layouts.class,
            description = {"With --export: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                    "npy: CORRUPTION_sSEVERITY.npy [N,C,H,W] float32, clean.npy and labels.npy; png: CORRUPTION/SEVERITY/CLASS/NNNNN.png."})
    CorruptionExport.Layout exportFormat;

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
        if (list) {
            list(o);
            return Cli.OK;
        }
        Required.of(spec).need("--model", model.given()).need("--data", data != null)
                .needOne("--out", "--export", out.given() || export != null ? 1 : 0).check("--list");
        SingleFile.folder("--export", export);
        if (examples < 0) {
            throw new UsageException("--examples must be at least 0, got " + examples);
        }
        int batchSize = batch.size();
        List<Corruption<?>> chosen = CorruptionRun.select(corruptions);
        CorruptionRun plan = CorruptionRun.of(chosen).withSeverities(CorruptionRun.severities(severities)).withSeed(seed.seed)
                .withBatchSize(batchSize).withExamples(examples);
        if (reference != null) {
            plan = plan.withReference(AugmentSection.reference(reference));
        }
        ProgressListener progress = Progress.listener(verbosity.quiet);
        try (Classifier m = model.open(batchSize)) {
            Shape input = m.inputShape();
            List<String> skipped = List.of();
            if (CorruptionRun.groups(corruptions)) {
                List<Corruption<?>> colour = plan.colourOnlyFor(input);
                if (!colour.isEmpty()) {
                    skipped = colour.stream().map(Corruption::name).toList();
                    List<Corruption<?>> kept = new ArrayList<>(plan.corruptions());
                    kept.removeAll(colour);
                    if (kept.isEmpty()) {
                        throw new UsageException("--corruptions " + corruptions + ": every one of them changes colours only, and the model's images "
                                + input + " are grayscale");
                    }
                    plan = plan.withCorruptions(kept);
                    o.println("skipped " + String.join(", ", skipped) + ": colour only, and the images " + input + " are grayscale");
                }
            }
            plan.check(input);
            if (out.given()) {
                out.open();
            }
            try (ResultFolder exported = export == null ? null : OutputOptions.open(export, out.force)) {
                Dataset d = dataOptions.load(data, m);
                if (d.classNames().size() != m.classes()) {
                    throw new IOException(data + ": has " + d.classNames().size() + " classes, the model " + m.classes());
                }
                Map<String, Object> options = new LinkedHashMap<>(plan.options());
                options.put("skipped", skipped);
                options.put("export", export == null ? null : export.toString());
                options.put("exportFormat", export == null ? null : exportFormat.name().toLowerCase(Locale.ROOT));
                Provenance started = Provenance.of("augment", seed.seed).withCommandLine(Cli.typed(spec)).withModel(model.file(), m);
                Provenance provenance = dataOptions.provenance(started, d).withOptions(options);
                if (out.given()) {
                    CorruptionRun.Result r = plan.run(m, d.images(), d.labels(), progress);
                    Report.of(provenance, new AugmentSection(r, model.file().getFileName().toString())).write(out.folder());
                    print(o, r, d, m, model.file().getFileName().toString());
                    out.commit();
                    o.println("wrote " + out.dir() + " (augment.json, augment.csv, examples_*.png, accuracy_*.png)");
                }
                if (exported != null) {
                    CorruptionExport.Manifest mf = CorruptionExport.write(exported.staging(), plan, d.images(), d.labels(), d.classNames(),
                            exportFormat, provenance, progress);
                    exported.commit();
                    o.printf(Locale.ROOT, "exported %s (%d corruption x severity %s, %d images each, corruptions.json)%n", export,
                            mf.files().size(), exportFormat == CorruptionExport.Layout.NPY ? "arrays, clean.npy, labels.npy" : "image folders, clean/",
                            mf.n());
                }
            }
        }
        o.flush();
        return Cli.OK;
    }

    /** The accuracy table (corruption rows, severity columns, mean), the mean corruption errors and the worst corruptions. */
    static void print(PrintWriter o, CorruptionRun.Result r, Dataset d, Classifier m, String modelName) {
        List<Integer> sev = r.plan().severities();
        o.printf(Locale.ROOT, "%s on %s (%d images, %s): clean accuracy %.2f%%%n", modelName, d.source(), r.size(), m.backend(),
                100 * r.cleanAccuracy());
        List<Table.Column> columns = new ArrayList<>(List.of(Table.left("accuracy", 10), Table.left("family", 8)));
        sev.forEach(s -> columns.add(Table.right("s" + s, 7)));
        columns.add(Table.right("mean", 7));
        columns.add(Table.right("flips", 7));
        Table table = Table.of(columns.toArray(Table.Column[]::new)).gap(1);
        boolean ungraded = false;
        for (CorruptionRun.Summary s : r.corruptions()) {
            List<String> row = new ArrayList<>(List.of(s.corruption(), s.family().label()));
            for (int v : sev) {
                CorruptionRun.Cell c = s.cells().stream().filter(x -> x.severity() == v).findFirst().orElse(null);
                row.add(c == null ? "-" : percent(c.accuracy()));
            }
            row.add(percent(s.meanAccuracy()));
            row.add(percent(s.meanFlipRate()));
            ungraded |= !s.graded();
            table.row(row.toArray());
        }
        table.print(o);
        if (ungraded) {
            o.println("-: the same at every severity, run once");
        }
        mce(o, r.benchmark(), r);
        mce(o, r.extra(), r);
        List<String> worst = new ArrayList<>();
        for (CorruptionRun.Summary s : r.worst().subList(0, Math.min(5, r.corruptions().size()))) {
            worst.add(String.format(Locale.ROOT, "%s %.2f%%", s.corruption(), 100 * s.meanError()));
        }
        o.println("worst (mean error): " + String.join(", ", worst));
        CorruptionRun.Timing t = r.timing();
        o.printf(Locale.ROOT, "time: %.1f s, %.0f images/s; corrupting %.1f s, model %.1f s (corrupting %.0f%% of the two), model waiting %.1f s%n",
                t.wallSeconds(), t.imagesPerSecond(), t.corruptingSeconds(), t.modelSeconds(), 100 * t.corruptingShare(), t.waitingSeconds());
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static void mce(PrintWriter o, CorruptionRun.Mce m, CorruptionRun.Result r) {
        if (m.meanError() == null) {
            return;
        }
        int registered = Corruptions.of(m.suite()).size();
        int n = m.corruptions().size();
        String count = n < registered ? n + " of the " + registered + " registered " + m.suite().label() + " corruptions"
                : n + " " + m.suite().label() + " corruption" + (n == 1 ? "" : "s");
        String name = m.suite() == Suite.BENCHMARK ? "mCE" : "extras' mCE";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s over %s: unnormalised %.2f%% (mean error)", name, count, 100 * m.meanError()));
        if (r.plan().reference() != null) {
            b.append(m.mce() == null ? "; the reference holds none of them"
                    : String.format(Locale.ROOT, "; %.2f%% of the reference's (relative mCE %s), %s", 100 * m.mce(),
                    m.relativeMce() == null ? "undefined" : String.format(Locale.ROOT, "%.2f%%", 100 * m.relativeMce()), r.plan().reference().source()));
            if (!m.notInReference().isEmpty()) {
                b.append("; not in the reference: ").append(String.join(", ", m.notInReference()));
            }
        }
        o.println(b);
    }

    /** Every registered corruption: family, suite, colour-only or not, description, and its parameters per severity at 32x32 and 224x224. */
    static void list(PrintWriter o) {
        List<Corruption<?>> all = Corruptions.all();
        Table names = Table.of(Table.left("", all.stream().mapToInt(c -> c.name().length()).max().orElse(0)), Table.left(""));
        for (Corruption<?> c : all) {
            List<String> traits = new ArrayList<>();
            traits.add(c.family().label());
            traits.add(c.suite().label());
            traits.add(c.colourOnly() ? "colour only" : "grayscale and colour");
            traits.add(c.random() ? "random" : "deterministic");
            if (!c.graded()) {
                traits.add("same at every severity");
            }
            o.println(names.line(c.name(), c.describe() + " (" + String.join(", ", traits) + ")"));
            for (int size : LISTED_SIZES) {
                List<String> parts = new ArrayList<>();
                for (int s = 1; s <= 5; s++) {
                    parts.add(s + ": " + c.describeParameters(s, size, size));
                }
                o.println(names.line("", size + "x" + size + "  " + String.join("; ", parts)));
            }
        }
        o.println();
        o.println("Tables: CIFAR-10-C's (make_cifar_c.py) for images up to " + Scale.SMALL_UP_TO
                + " pixels a side, ImageNet-C's (make_imagenet_c.py) above; sizes in pixels scale with the image.");
        o.flush();
    }
}
