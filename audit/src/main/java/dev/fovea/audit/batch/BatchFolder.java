package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import dev.fovea.Version;
import dev.fovea.audit.report.Json;
import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A batch's output folder:
 * <pre>
 * DIR/.fovea-batch       marks the folder as a batch's
 * DIR/cells/ID/          each cell's result folder: its report and cell.json (written as a whole)
 * DIR/batch.json         the grid (every cell's plan), each cell's status, error and wall time, the run's settings
 * DIR/results.csv, .json tidy results ({@link Results})
 * DIR/charts/*.png       comparison charts ({@link GridCharts})
 * DIR/index.html         the combined page: summary, charts, every cell linked to its own report
 * </pre>
 * The merged outputs are a function of the grid and the cell folders alone, so the local runner, the Spark driver
 * and {@code fovea batch merge} write the same files from the same cells.
 */
public final class BatchFolder {
    public static final String MARKER = ".fovea-batch";
    public static final String CELLS = "cells";
    public static final String BATCH_JSON = "batch.json";
    private static final MustacheFactory TEMPLATES = new DefaultMustacheFactory("dev/fovea/audit/batch/html");

    private BatchFolder() {
    }

    /** What a folder holds, for a run about to write into it. */
    public enum State {
        /** Absent, or an empty folder. */
        EMPTY,
        /** A batch's folder. */
        BATCH,
        /** A file, or a folder that holds other things. */
        OTHER
    }

    public static State state(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return State.EMPTY;
        }
        if (!Files.isDirectory(dir)) {
            return State.OTHER;
        }
        if (Files.exists(dir.resolve(MARKER))) {
            return State.BATCH;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent() ? State.OTHER : State.EMPTY;
        }
    }

    /** Makes {@code dir} a batch folder (its marker and {@code cells/}); one that holds other things is refused. */
    public static void prepare(Path dir) throws IOException {
        if (state(dir) == State.OTHER) {
            throw new IllegalArgumentException(dir + ": expected an empty folder or a batch's, got " + (Files.isDirectory(dir)
                    ? "a folder holding other files" : "a file"));
        }
        Files.createDirectories(dir.resolve(CELLS));
        if (!Files.exists(dir.resolve(MARKER))) {
            Files.writeString(dir.resolve(MARKER), "fovea batch folder: cells/ holds one result folder per cell\n", StandardCharsets.UTF_8);
        }
    }

    /** One cell's line in {@code batch.json}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String id, int index, String status, String error, Double seconds, String page) {
    }

    /** The whole of {@code batch.json}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchJson(String name, String spec, String gridId, String engine, String shard, Integer threads, String started, double seconds,
                            int total, int ok, int failed, int missing, String foveaVersion, List<Status> status, List<Cell> grid) {
    }

    /** Reads {@code dir/batch.json}. */
    public static BatchJson read(Path dir) throws IOException {
        Path f = dir.resolve(BATCH_JSON);
        if (!Files.isRegularFile(f)) {
            throw new java.nio.file.NoSuchFileException(f.toString(), null, "no batch.json: not a batch folder");
        }
        return CellRecord.READER.readValue(f.toFile(), BatchJson.class);
    }

    /** The records of {@code cells} in {@code dir} (one without a readable record of its id as {@link CellRecord#MISSING}), in order. */
    public static List<CellRecord> records(Path dir, List<Cell> cells) {
        List<CellRecord> out = new ArrayList<>();
        for (Cell c : cells) {
            Path d = dir.resolve(CELLS).resolve(c.id());
            CellRecord r = CellRecord.read(d);
            if (r == null || r.cell() == null || !c.id().equals(r.cell().id())) {
                r = new CellRecord(c, CellRecord.MISSING, null, 0, null, List.of(), null, Map.of(), null);
            }
            out.add(r);
        }
        return out;
    }

    /** How a run came about, for {@code batch.json} and the page. */
    public record Run(String name, String spec, String gridId, String engine, String shard, Integer threads, String started, double seconds) {
    }

    /** Writes {@code batch.json}, the tidy results, the charts and the page of {@code records} (the grid's cells in order) into {@code dir}. */
    public static void write(Path dir, Run run, List<CellRecord> records) throws IOException {
        int ok = (int) records.stream().filter(CellRecord::ok).count();
        int failed = (int) records.stream().filter(r -> CellRecord.FAILED.equals(r.status())).count();
        int missing = records.size() - ok - failed;
        List<Status> status = new ArrayList<>();
        for (CellRecord r : records) {
            boolean ran = !CellRecord.MISSING.equals(r.status());
            status.add(new Status(r.cell().id(), r.cell().index(), r.status(), r.error(), ran ? r.seconds() : null, r.page()));
        }
        BatchJson json = new BatchJson(run.name(), run.spec(), run.gridId(), run.engine(), run.shard(), run.threads(), run.started(), run.seconds(),
                records.size(), ok, failed, missing, Version.VERSION, status, records.stream().map(CellRecord::cell).toList());
        Json.write(dir.resolve(BATCH_JSON), json);
        Results.of(records).write(dir);
        Path charts = dir.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> old = Files.list(charts)) {
                for (Path p : old.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(charts);
        List<GridCharts.Chart> drawn = GridCharts.write(dir, records);
        byte[] html = page(run, records, drawn, ok, failed, missing).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("index.html"), os -> os.write(html));
    }

    static String page(Run run, List<CellRecord> records, List<GridCharts.Chart> charts, int ok, int failed, int missing) throws IOException {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("title", "fovea batch: " + run.name());
        page.put("name", run.name());
        page.put("engine", run.engine() + (run.shard() == null ? "" : ", shard " + run.shard()));
        page.put("started", run.started() != null && run.started().length() > 19 ? run.started().substring(0, 19).replace('T', ' ') + " UTC" : run.started());
        page.put("version", Version.VERSION);
        page.put("spec", run.spec());
        page.put("gridId", run.gridId());
        page.put("seconds", String.format(Locale.ROOT, "%.1f", run.seconds()));
        page.put("total", records.size());
        page.put("ok", ok);
        page.put("failed", failed);
        page.put("missing", missing);
        page.put("allOk", ok == records.size());
        page.put("sentence", sentence(records.size(), ok, failed, missing));
        page.put("charts", charts);
        page.put("hasCharts", !charts.isEmpty());
        Set<String> axes = new LinkedHashSet<>(List.of("type", "method", "model", "data", "seed"));
        records.forEach(r -> axes.addAll(r.cell().axes().keySet()));
        page.put("axes", List.copyOf(axes));
        List<Map<String, Object>> cells = new ArrayList<>();
        for (CellRecord r : records) {
            Cell c = r.cell();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", c.index());
            row.put("id", c.id());
            row.put("status", r.status());
            row.put("link", CellRecord.MISSING.equals(r.status()) ? null : CELLS + "/" + c.id() + "/" + (r.page() == null ? CellRecord.FILE : r.page()));
            List<String> values = new ArrayList<>();
            for (String a : axes) {
                Object v = a.equals("method") ? c.method() : c.axes().get(a);
                values.add(v == null ? "" : v.toString());
            }
            row.put("values", values);
            row.put("error", r.error());
            row.put("headline", headline(r));
            row.put("seconds", CellRecord.MISSING.equals(r.status()) ? "" : String.format(Locale.ROOT, "%.1f", r.seconds()));
            cells.add(row);
        }
        page.put("cells", cells);
        StringWriter w = new StringWriter();
        TEMPLATES.compile("index.mustache").execute(w, page).flush();
        return w.toString();
    }

    private static String sentence(int total, int ok, int failed, int missing) {
        if (ok == total) {
            return "All " + total + " cells of the grid ran.";
        }
        List<String> parts = new ArrayList<>();
        parts.add(ok + " of the " + total + " cells ran");
        if (failed > 0) {
            parts.add(failed + " failed (their errors are in the table and in batch.json; a resumed run of the batch runs them again)");
        }
        if (missing > 0) {
            parts.add(missing + " have no result here (another shard's, or not reached)");
        }
        return String.join("; ", parts) + ".";
    }

    /** A cell's numbers in a few words: its accuracy, and the worst robust accuracy or the mean corruption error. */
    static String headline(CellRecord r) {
        if (!r.ok()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        Metric robust = null;
        for (Metric m : r.metrics()) {
            switch (m.metric()) {
                case "clean_accuracy", "accuracy" -> {
                    if (m.corruption() == null) {
                        parts.add(String.format(Locale.ROOT, "accuracy %.1f%%", 100 * m.value()));
                    }
                }
                case "robust_accuracy" -> robust = robust == null || m.eps() > robust.eps() ? m : robust;
                case "mean_corruption_error" -> parts.add(String.format(Locale.ROOT, "mean corruption error %.1f%%", 100 * m.value()));
                case "mean_abs_delta" -> parts.add(String.format(Locale.ROOT, "mean |delta| %.3g", m.value()));
                case "mean_score" -> parts.add(String.format(Locale.ROOT, "mean score %.3g", m.value()));
                default -> {
                }
            }
        }
        if (robust != null) {
            parts.add(String.format(Locale.ROOT, "robust %.1f%% at eps %s", 100 * robust.value(), robust.eps()));
        }
        return String.join(", ", parts);
    }
}
