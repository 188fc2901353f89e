package dev.fovea.cli;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.data.Dataset;
import dev.fovea.kernels.Parallel;
import dev.fovea.model.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code fovea bench augment}: the speed of {@code fovea augment}'s run, by default every registered corruption at
 * every severity on the bundled ConvNet and the 1,000-image Fashion-MNIST slice: images classified per second, and
 * the seconds spent corrupting (on the background thread) against those in the model, with how long the model waited
 * for corrupted images, the sign that corrupting is the bottleneck. A warm-up run on the first images (all
 * corruptions, the first severity) comes first, so that the figures are of compiled code.
 */
@Command(name = "augment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time fovea augment's run: images/s, and seconds corrupting against seconds in the model.",
                "Default: every registered corruption x severities 1-5, fixtures/models/convnet.fovea, fixtures/data/fashion-mnist-1k."})
public final class BenchAugmentCommand implements Callable<Integer> {
    static final String DEFAULT_DATA = Path.of("fixtures", "data", "fashion-mnist-1k").toString();

    @Mixin
    ModelOptions.Optional model;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data (default: " + "fixtures/data/fashion-mnist-1k" + ").")
    String data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--corruptions", defaultValue = "all", paramLabel = "all|benchmark|extra|augmentations|LIST",
            description = "Corruptions, as fovea augment takes them (default: ${DEFAULT-VALUE}).")
    String corruptions;

    @Option(names = "--severities", defaultValue = "1-5", paramLabel = "1-5|LIST", description = "Severities (default: ${DEFAULT-VALUE}).")
    String severities;

    @Option(names = "--warmup-images", defaultValue = "64", paramLabel = "N", description = "Images of the warm-up run (default: ${DEFAULT-VALUE}; 0: none).")
    int warmupImages;

    @Mixin
    BatchOptions batch;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (warmupImages < 0) {
            throw new UsageException("--warmup-images must be at least 0, got " + warmupImages);
        }
        PrintWriter o = spec.commandLine().getOut();
        int batchSize = batch.size();
        Path file = model.given() ? model.file() : BenchCommand.DEFAULT_MODEL;
        CorruptionRun plan = CorruptionRun.of(CorruptionRun.select(corruptions)).withSeverities(CorruptionRun.severities(severities))
                .withBatchSize(batchSize).withExamples(0);
        try (Classifier m = model.flags().open(file, batchSize)) {
            if (CorruptionRun.groups(corruptions)) {
                var kept = new java.util.ArrayList<>(plan.corruptions());
                kept.removeAll(plan.colourOnlyFor(m.inputShape()));
                plan = plan.withCorruptions(kept);
            }
            plan.check(m.inputShape());
            Dataset d = dataOptions.load(data != null ? data : DEFAULT_DATA, m);
            ProgressListener progress = Progress.listener(verbosity.quiet);
            if (warmupImages > 0) {
                plan.withSeverities(plan.severities().subList(0, 1)).withLimit(Math.min(warmupImages, d.size()))
                        .run(m, d.images(), d.labels(), progress);
            }
            CorruptionRun.Result r = plan.run(m, d.images(), d.labels(), progress);
            CorruptionRun.Timing t = r.timing();
            long cells = r.corruptions().stream().mapToLong(s -> s.cells().size()).sum();
            o.printf(Locale.ROOT, "fovea bench augment: %s on %s, %d images, %d corruptions, %d corruption x severity cells, %d threads, batch %d%n",
                    file.getFileName(), d.source(), r.size(), r.corruptions().size(), cells, Parallel.threads(), batchSize);
            o.printf(Locale.ROOT, "%.1f s, %.0f images/s classified (%d images: clean and every cell)%n", t.wallSeconds(), t.imagesPerSecond(),
                    t.imagesClassified());
            o.printf(Locale.ROOT, "corrupting %.2f s (background thread), model %.2f s: corrupting is %.0f%% of the two; the model waited %.2f s "
                    + "(%.0f%% of the wall time) for corrupted images%n", t.corruptingSeconds(), t.modelSeconds(), 100 * t.corruptingShare(),
                    t.waitingSeconds(), 100 * t.waitingSeconds() / Math.max(1e-9, t.wallSeconds()));
            Table table = Table.of(Table.left("corruption"), Table.right("corrupting s", 14), Table.right("ms per image", 14)).gap(1);
            for (CorruptionRun.Summary s : r.corruptions()) {
                long images = (long) r.size() * s.cells().size();
                table.row(s.corruption(), String.format(Locale.ROOT, "%.3f", s.corruptingSeconds()),
                        String.format(Locale.ROOT, "%.4f", 1000 * s.corruptingSeconds() / images));
            }
            table.print(o);
            o.flush();
        }
        return Cli.OK;
    }
}
