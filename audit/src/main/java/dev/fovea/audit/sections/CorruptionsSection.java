package dev.fovea.audit.sections;

import dev.fovea.audit.AuditContext;
import dev.fovea.audit.AuditPlan;
import dev.fovea.audit.AuditReport;
import dev.fovea.audit.report.AugmentSection;
import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.report.Figures;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Family;
import dev.fovea.image.corrupt.Suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Common corruptions: the model under the corruption suite ({@link AuditPlan.CorruptionSpec}; by default the 15
 * corruptions of the benchmark and the 4 extras, Hendrycks and Dietterich 2019) on the plan's first images, through
 * {@link CorruptionRun}. It reports accuracy per corruption and severity, the mean corruption error of the
 * benchmark (the unnormalised mean of {@code 1 - accuracy} over its corruptions and severities: the {@code mce} a
 * gate names) and of the extras, flip rates, and the worst corruptions with example grids; its files are those of
 * {@code fovea augment} ({@link AugmentSection}). Colour-only corruptions are left out for grayscale input, with a
 * note.
 */
public record CorruptionsSection(Numbers numbers, CorruptionRun.Result result, String modelName, List<String> notes, double seconds)
        implements AuditSection {
    /** How many corruptions the page shows example grids for. */
    static final int WORST_SHOWN = 4;

    /** One corruption: its family and suite, accuracy per severity run, mean accuracy and error, mean flip rate. */
    public record Row(String name, String family, String suite, List<Double> accuracy, double meanAccuracy, double meanError, double flipRate) {
    }

    /**
     * The section's numbers: images, seed, severities, clean accuracy of those images, the benchmark's mean error
     * ({@code mce}) and mean accuracy, the extras' mean error, one row per corruption, the worst by mean error.
     */
    public record Numbers(int images, long seed, List<Integer> severities, double cleanAccuracy, Double mce, Double meanAccuracy,
                          Double extrasMeanError, int benchmarkCorruptions, List<Row> corruptions, List<String> worst, List<String> skipped) {
    }

    public static CorruptionsSection run(AuditContext c) {
        AuditPlan.CorruptionSpec spec = c.plan().corruptions() != null ? c.plan().corruptions() : new AuditPlan.CorruptionSpec(null, null, null);
        List<Corruption<?>> chosen = new ArrayList<>();
        if (spec.corruptions() == null) {
            chosen.addAll(Corruptions.of(Suite.BENCHMARK));
            chosen.addAll(Corruptions.of(Suite.EXTRA));
        } else {
            spec.corruptions().forEach(n -> chosen.add(Corruptions.named(n)));
        }
        Dataset d = c.first(spec.images());
        List<String> notes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<Corruption<?>> run = new ArrayList<>();
        for (Corruption<?> k : chosen) {
            if (k.colourOnly() && d.images().dim(1) != 3) {
                skipped.add(k.name());
            } else {
                run.add(k);
            }
        }
        if (!skipped.isEmpty()) {
            notes.add(String.join(", ", skipped) + (skipped.size() == 1 ? " changes" : " change") + " colours only and the images are grayscale: left out");
        }
        CorruptionRun plan = CorruptionRun.of(run).withSeverities(spec.severities()).withSeed(c.plan().seed())
                .withBatchSize(c.model().batchSize()).withExamples(1);
        CorruptionRun.Result r = plan.run(c.model(), d.images(), d.labels(), c.progress());
        List<Row> rows = new ArrayList<>();
        double accBench = 0;
        int nBench = 0;
        for (CorruptionRun.Summary s : r.corruptions()) {
            rows.add(new Row(s.corruption(), s.family().label(), s.suite().label(), s.cells().stream().map(CorruptionRun.Cell::accuracy).toList(),
                    s.meanAccuracy(), s.meanError(), s.meanFlipRate()));
            if (s.suite() == Suite.BENCHMARK) {
                accBench += s.meanAccuracy();
                nBench++;
            }
        }
        List<String> worst = r.worst().stream().limit(WORST_SHOWN).map(CorruptionRun.Summary::corruption).toList();
        Numbers n = new Numbers(r.size(), c.plan().seed(), plan.severities(), r.cleanAccuracy(), r.benchmark().meanError(),
                nBench == 0 ? null : accBench / nBench, r.extra().meanError(), nBench, rows, worst, skipped);
        return new CorruptionsSection(n, r, c.modelFile().getFileName().toString(), notes, r.seconds());
    }

    @Override
    public String name() {
        return "corruptions";
    }

    @Override
    public String title() {
        return "Common corruptions";
    }

    @Override
    public Map<String, Double> metrics() {
        return numbers.mce() == null ? Map.of() : Map.of("mce", numbers.mce());
    }

    @Override
    public String verdict() {
        if (numbers.meanAccuracy() == null) {
            return null;
        }
        return String.format(Locale.ROOT, "under the %d common corruptions accuracy falls from %s to %s on average", numbers.benchmarkCorruptions(),
                AuditReport.percent(numbers.cleanAccuracy()), AuditReport.percent(numbers.meanAccuracy()));
    }

    @Override
    public List<String> writeFiles(Path dir) throws IOException {
        List<String> files = new ArrayList<>(new AugmentSection(result, modelName).writeFiles(dir));
        List<CorruptionRun.Summary> worst = numbers.worst().stream().map(result::of).toList();
        CorruptionRun.Result w = new CorruptionRun.Result(result.plan(), result.classNames(), result.inputShape(), result.labels(),
                result.cleanPrediction(), result.cleanProbability(), result.cleanAccuracy(), result.cleanExamples(), worst, result.benchmark(),
                result.extra(), result.timing());
        Path sub = Files.createDirectories(dir.resolve("worst"));
        for (String f : new AugmentSection(w, modelName).writeGrids(sub)) {
            files.add("worst/" + f);
        }
        return files;
    }

    @Override
    public Map<String, Object> view(Figures figures) throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        if (numbers.mce() != null) {
            v.put("mce", AuditReport.percent(numbers.mce()));
        }
        if (numbers.meanAccuracy() != null) {
            v.put("meanAccuracy", AuditReport.percent(numbers.meanAccuracy()) + " (clean " + AuditReport.percent(numbers.cleanAccuracy()) + ")");
        }
        List<Object> figs = new ArrayList<>();
        for (Family f : result.corruptions().stream().map(CorruptionRun.Summary::family).distinct().sorted().toList()) {
            figs.add(figures.figure("accuracy_" + f.label() + ".png", "Accuracy against severity, " + f.label() + " corruptions; severity 0 is the"
                    + " clean images (" + numbers.images() + ")."));
        }
        v.put("figures", figs);
        v.put("severities", numbers.severities());
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row r : numbers.corruptions()) {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int i = 0; i < numbers.severities().size(); i++) {
                cells.add(Map.of("v", i < r.accuracy().size() ? AuditReport.percent(r.accuracy().get(i)) : "-"));
            }
            table.add(Map.of("name", r.name() + (r.suite().equals("extra") ? " (extra)" : ""), "cells", cells,
                    "mean", AuditReport.percent(r.meanAccuracy()), "flip", AuditReport.percent(r.flipRate())));
        }
        v.put("table", table);
        List<Object> worst = new ArrayList<>();
        if (result.cleanExamples().dim(0) > 0) {
            worst.add(figures.figure("worst/examples_0.png", "The " + numbers.worst().size() + " worst corruptions (by mean error) on the first"
                    + " image, at each severity, with the prediction under each (green right, red wrong)."));
        }
        v.put("worst", worst);
        return v;
    }
}
