package dev.fovea.audit.batch;

import dev.fovea.audit.report.Json;
import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tidy results of a grid: one row per cell and metric, in grid order, with the columns {@code cell},
 * {@code type}, {@code model}, {@code data}, {@code seed}, {@code method}, then every other axis of the grid
 * ({@code steps}, {@code norm}, {@code eps_axis}...), then what the metric is about ({@code eps}, {@code corruption},
 * {@code severity}), {@code metric} and {@code value}. A column that does not apply to a row is empty in
 * {@code results.csv} and {@code null} in {@code results.json} (an array of row objects), so that both read as
 * they are: {@code pandas.read_csv}, {@code pandas.read_json}, DuckDB's {@code read_csv_auto} and
 * {@code read_json_auto}. Wall times are not in the rows (they are in {@code batch.json}), so the results of two
 * runs of one grid are equal byte for byte.
 *
 * @param columns the columns in order
 * @param rows the rows, each a map from column to value
 */
public record Results(List<String> columns, List<Map<String, Object>> rows) {
    public static final List<String> LEADING = List.of("cell", "type", "model", "data", "seed", "method");

    /** The rows of the successful {@code records} (in grid order). */
    public static Results of(List<CellRecord> records) {
        Set<String> axes = new LinkedHashSet<>();
        for (CellRecord r : records) {
            for (String k : r.cell().axes().keySet()) {
                if (!LEADING.contains(k)) {
                    axes.add(k);
                }
            }
        }
        List<String> columns = new ArrayList<>(LEADING);
        columns.addAll(axes);
        columns.addAll(Metric.KEYS);
        columns.add("metric");
        columns.add("value");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CellRecord r : records) {
            if (!r.ok()) {
                continue;
            }
            Cell c = r.cell();
            for (Metric m : r.metrics()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cell", c.id());
                row.put("type", c.type());
                row.put("model", c.model().name());
                row.put("data", c.data().name());
                row.put("seed", c.axes().get("seed"));
                row.put("method", c.method());
                for (String a : axes) {
                    row.put(a, c.axes().get(a));
                }
                row.put("eps", m.eps());
                row.put("corruption", m.corruption());
                row.put("severity", m.severity());
                row.put("metric", m.metric());
                row.put("value", m.value());
                rows.add(row);
            }
        }
        return new Results(List.copyOf(columns), List.copyOf(rows));
    }

    /** {@code results.csv}: a header, then the rows; numbers as Java writes doubles, text quoted where it must be. */
    public String csv() {
        StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                Object v = row.get(c);
                cells.add(v == null ? "" : quote(v.toString()));
            }
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Writes {@code results.csv} and {@code results.json} into {@code dir}. */
    public void write(Path dir) throws IOException {
        byte[] csv = csv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("results.csv"), out -> out.write(csv));
        List<Map<String, Object>> full = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            columns.forEach(c -> r.put(c, row.get(c)));
            full.add(r);
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(full);
        AtomicFiles.write(dir.resolve("results.json"), out -> out.write(json));
    }
}
