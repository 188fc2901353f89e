package dev.fovea.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every table fovea prints on the console: columns with a header, text left-aligned and numbers right-aligned under
 * headers aligned as their column. A column is as wide as its widest cell, header included, and at least its
 * {@code min} width; columns are {@link #gap} spaces apart and the table is indented by {@link #indent}. Not
 * picocli's {@code Help.TextTable}, which aligns only to the left and reads {@code @|bold ...|@} markup in a cell
 * (a class name is printed as it is written), and wraps what this table widens to fit.
 *
 * <p>A table is printed whole ({@link #row}, then {@link #print}), or line by line as its rows become known
 * ({@link #header}, then {@link #line} per row: {@code fovea attack} prints a budget's row as soon as it is
 * attacked), when the columns are as wide as their {@code min} and their header and a longer cell widens its
 * column in that line only.
 *
 * <pre>{@code
 * Table t = Table.of(Table.left("class"), Table.right("accuracy"), Table.right("n"));
 * t.row("T-shirt/top", "88.79%", "107");
 * t.print(out);
 * }</pre>
 */
final class Table {
    /** How a column's cells and header sit in it. */
    enum Align { LEFT, RIGHT }

    /** A column: its header, alignment and least width. */
    record Column(String header, Align align, int min) {
        Column {
            header = header == null ? "" : header;
            min = Math.max(min, header.length());
        }
    }

    private final List<Column> columns;
    private final int gap;
    private final int indent;
    private final List<String[]> rows = new ArrayList<>();

    private Table(List<Column> columns, int gap, int indent) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table: expected at least one column, got none");
        }
        if (gap < 0 || indent < 0) {
            throw new IllegalArgumentException("table: expected a gap and an indent of at least 0, got " + gap + " and " + indent);
        }
        this.columns = List.copyOf(columns);
        this.gap = gap;
        this.indent = indent;
    }

    /** A table of {@code columns}, two spaces apart, not indented. */
    static Table of(Column... columns) {
        return new Table(List.of(columns), 2, 0);
    }

    /** A left-aligned column of text. */
    static Column left(String header) {
        return new Column(header, Align.LEFT, 0);
    }

    /** A left-aligned column at least {@code min} characters wide. */
    static Column left(String header, int min) {
        return new Column(header, Align.LEFT, min);
    }

    /** A right-aligned column of numbers. */
    static Column right(String header) {
        return new Column(header, Align.RIGHT, 0);
    }

    /** A right-aligned column at least {@code min} characters wide. */
    static Column right(String header, int min) {
        return new Column(header, Align.RIGHT, min);
    }

    /** The same table with columns {@code gap} spaces apart. */
    Table gap(int gap) {
        return new Table(columns, gap, indent);
    }

    /** The same table indented by {@code indent} spaces. */
    Table indent(int indent) {
        return new Table(columns, gap, indent);
    }

    /** Adds a row of cells, one per column ({@code null} is an empty cell). */
    Table row(Object... cells) {
        rows.add(cells(cells));
        return this;
    }

    /** The table's lines: the header (unless every header is empty), then the rows, columns as wide as their widest cell. */
    List<String> lines() {
        int[] w = columns.stream().mapToInt(Column::min).toArray();
        for (String[] r : rows) {
            for (int c = 0; c < w.length; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        List<String[]> all = new ArrayList<>();
        if (columns.stream().anyMatch(c -> !c.header().isEmpty())) {
            all.add(columns.stream().map(Column::header).toArray(String[]::new));
        }
        all.addAll(rows);
        return layout(all, w);
    }

    /** Prints the table ({@link #lines}). */
    void print(PrintWriter out) {
        lines().forEach(out::println);
        out.flush();
    }

    /** The header line of a table printed line by line: columns as wide as their {@code min} and header. */
    String header() {
        return line(columns.stream().map(Column::header).toArray());
    }

    /** One row of a table printed line by line, in the columns of {@link #header}; a longer cell widens its column in this line. */
    String line(Object... cells) {
        String[] r = cells(cells);
        int[] w = new int[columns.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = Math.max(columns.get(c).min(), r[c].length());
        }
        List<String[]> one = new ArrayList<>();
        one.add(r);
        return layout(one, w).get(0);
    }

    private String[] cells(Object[] cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("table: expected " + columns.size() + " cells, got " + cells.length + ": " + Arrays.toString(cells));
        }
        return Arrays.stream(cells).map(v -> v == null ? "" : v.toString()).toArray(String[]::new);
    }

    /** The rows laid out in columns {@code w} wide, without trailing spaces. */
    private List<String> layout(List<String[]> rows, int[] w) {
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder(" ".repeat(indent));
            for (int c = 0; c < w.length; c++) {
                String fill = " ".repeat(w[c] - r[c].length());
                b.append(c == 0 ? "" : " ".repeat(gap)).append(columns.get(c).align() == Align.RIGHT ? fill + r[c] : r[c] + fill);
            }
            out.add(stripEnd(b.toString()));
        }
        return out;
    }

    private static String stripEnd(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(0, e);
    }
}
