package dev.fovea.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The progress bar and the results share a real pseudo-terminal (util-linux {@code script}): what stays on the
 * screen, replayed through a small terminal model, holds every result row and no bar.
 */
class TerminalTest {
    private static final Pattern ROW = Pattern.compile("^\\s+[0-9.]+\\s+[0-9.]+%\\s+[0-9.]+%\\s+[0-9.]+\\s+[0-9.]+$");

    @ParameterizedTest
    @ValueSource(ints = {120, 160})
    void resultsPrintedWhileABarRunsStayOnTheScreen(int columns) throws Exception {
        Path dir = Files.createTempDirectory("fovea-pty");
        String raw = underPty(columns, "attack", "--model", "../fixtures/models/convnet.fovea", "--data",
                "../fixtures/data/fashion-mnist-1k", "--limit", "40", "--out", dir.resolve("out").toString());
        assertTrue(raw.contains("queries/s"), "no progress bar was drawn (not a terminal?):\n" + raw);
        assertFalse(raw.contains("\033[1A"), "the bar moved the cursor up, over printed lines");
        List<String> screen = screen(raw);
        long rows = screen.stream().filter(l -> ROW.matcher(l).matches()).count();
        assertEquals(5, rows, "robust-accuracy rows on the screen:\n" + String.join("\n", screen));
        for (String line : screen) {
            assertFalse(line.contains("│"), "a bar was left on the screen: " + line);
            assertTrue(line.length() <= columns, "a line wider than the terminal: " + line);
        }
        assertTrue(screen.get(screen.size() - 1).startsWith("wrote "), String.join("\n", screen));
    }

    @Test
    void aBarIsOneLineNarrowerThanTheTerminalAndAtMostTheCap() throws Exception {
        Path dir = Files.createTempDirectory("fovea-pty");
        String raw = underPty(60, "attack", "--model", "../fixtures/models/convnet.fovea", "--data",
                "../fixtures/data/fashion-mnist-1k", "--limit", "20", "--eps", "0.1", "--out", dir.resolve("out").toString());
        Matcher m = Pattern.compile("\r(attack[^\r\n\033]*(?:\033\\[[0-9;]*m[^\r\n\033]*)*)").matcher(raw);
        int bars = 0;
        while (m.find()) {
            String visible = m.group(1).replaceAll("\033\\[[0-9;]*m", "");
            assertTrue(visible.length() <= 59, "bar of " + visible.length() + " columns on a 60-column terminal: " + visible);
            bars++;
        }
        assertTrue(bars > 0, raw);
    }

    /** Runs fovea in a child JVM whose standard input and output are a pseudo-terminal of {@code columns} columns. */
    private static String underPty(int columns, String... args) throws Exception {
        StringBuilder cmd = new StringBuilder("stty cols " + columns + " rows 50; exec ");
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        java.addAll(List.of(args));
        for (String a : java) {
            cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        Path log = Files.createTempFile("fovea-pty", ".txt");
        Process p = new ProcessBuilder("script", "-qec", cmd.toString(), log.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "fovea under a pseudo-terminal did not finish");
        String raw = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), raw);
        // script's own header and footer lines
        return raw.replaceAll("(?m)^Script (started|done) on [^\n]*\n?", "");
    }

    /**
     * The lines a terminal shows after {@code raw}: carriage return, line feed, erase line ({@code ESC[2K}), erase to
     * the end ({@code ESC[K}) and cursor up ({@code ESC[nA}); colours are dropped. Lines are not wrapped.
     */
    static List<String> screen(String raw) {
        List<StringBuilder> lines = new ArrayList<>();
        lines.add(new StringBuilder());
        int row = 0;
        int col = 0;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '\033' && i + 1 < raw.length() && raw.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < raw.length() && (Character.isDigit(raw.charAt(j)) || raw.charAt(j) == ';')) {
                    j++;
                }
                String arg = raw.substring(i + 2, j);
                char op = j < raw.length() ? raw.charAt(j) : ' ';
                StringBuilder l = lines.get(row);
                if (op == 'K' && arg.equals("2")) {
                    l.setLength(0);
                } else if (op == 'K') {
                    l.setLength(Math.min(col, l.length()));
                } else if (op == 'A') {
                    row = Math.max(0, row - (arg.isEmpty() ? 1 : Integer.parseInt(arg)));
                }
                i = j;
                continue;
            }
            if (ch == '\r') {
                col = 0;
            } else if (ch == '\n') {
                row++;
                col = 0;
                while (lines.size() <= row) {
                    lines.add(new StringBuilder());
                }
            } else {
                StringBuilder l = lines.get(row);
                while (l.length() < col) {
                    l.append(' ');
                }
                if (col < l.length()) {
                    l.setCharAt(col, ch);
                } else {
                    l.append(ch);
                }
                col++;
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder l : lines) {
            String s = l.toString().stripTrailing();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
