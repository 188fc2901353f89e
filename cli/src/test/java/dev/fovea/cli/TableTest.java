package dev.fovea.cli;

import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Table}: text left-aligned, numbers right-aligned under headers aligned as their column, columns as wide as
 * their widest cell; and {@code fovea eval}'s tables, the confusion matrix among them, printed through it.
 */
class TableTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    @Test
    void textIsLeftAlignedAndNumbersRightAlignedUnderTheirHeaders() {
        Table t = Table.of(Table.left("class"), Table.right("accuracy"), Table.right("n"));
        t.row("T-shirt/top", "88.79%", 107).row("Bag", "100.00%", 5);
        assertEquals(List.of(
                "class        accuracy    n",
                "T-shirt/top    88.79%  107",
                "Bag           100.00%    5"), t.lines());
    }

    @Test
    void minimumWidthsGapsAndIndentsAreKept() {
        Table t = Table.of(Table.right("eps", 8), Table.right("robust", 10)).gap(1);
        assertEquals("     eps     robust", t.header());
        assertEquals("    0.05     12.50%", t.line("0.05", "12.50%"));
        assertEquals("123456789     12.50%", t.line("123456789", "12.50%"), "a longer cell widens its column in its line only");
        Table plain = Table.of(Table.left("", 4), Table.left("")).indent(2);
        assertEquals(List.of("  pass  fine", "  no    trailing"), plain.row("pass", "fine").row("no", "trailing").lines(), "no header when every header is empty");
        assertEquals(List.of("a", "xyz"), Table.of(Table.left("a"), Table.left("")).row("xyz", "").lines(), "no trailing spaces");
    }

    @Test
    void cellsAreWrittenAsTheyAre() {
        assertEquals(List.of("name", "@|bold x|@"), Table.of(Table.left("name")).row("@|bold x|@").lines());
    }

    @Test
    void aRowOfTheWrongLengthIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Table.of(Table.left("a"), Table.left("b")).row("x"));
        assertTrue(e.getMessage().startsWith("table: expected 2 cells, got 1"), e.getMessage());
    }

    /** The end columns of the last {@code k} numbers of {@code line}. */
    private static List<Integer> ends(String line, int k) {
        List<Integer> all = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+(\\.\\d+%)?").matcher(line);
        while (m.find()) {
            all.add(m.end());
        }
        return all.subList(all.size() - k, all.size());
    }

    @Test
    void evalsConfusionMatrixHasEveryColumnRightAlignedUnderItsHeader() {
        CliRun r = CliRun.of("eval", "-m", MODEL, "--data", DATA);
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        int at = lines.indexOf("confusion (rows: true class, columns: predicted)");
        assertTrue(at > 0, r.out());
        String header = lines.get(at + 1);
        assertTrue(header.matches("\\s+0(\\s+\\d){9}"), header);
        List<Integer> columns = ends(header, 10);
        for (int row = 0; row < 10; row++) {
            String line = lines.get(at + 2 + row);
            assertTrue(line.startsWith(row + " "), line);
            assertEquals(columns, ends(line, 10), "row " + row + " under the header: \n" + header + "\n" + line);
            assertEquals(header.length(), line.length(), line);
        }
        int head = lines.indexOf(lines.stream().filter(l -> l.startsWith("class ")).findFirst().orElseThrow());
        List<Integer> perClass = List.of(lines.get(head).indexOf("accuracy") + "accuracy".length(), lines.get(head).length());
        for (int row = 1; row <= 10; row++) {
            assertEquals(perClass, ends(lines.get(head + row), 2), lines.get(head) + "\n" + lines.get(head + row));
        }
    }

    @Test
    void printWritesTheLinesAndFlushes() {
        StringWriter s = new StringWriter();
        Table.of(Table.left("a"), Table.right("b")).row("x", 1).print(new PrintWriter(s));
        assertEquals("a  b" + System.lineSeparator() + "x  1" + System.lineSeparator(), s.toString());
    }
}
