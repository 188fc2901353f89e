package dev.fovea.cli;

import me.tongfei.progressbar.ProgressBarConsumer;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The terminal that fovea's output and its progress bar share. A live bar occupies the last line of the screen:
 * any text written to standard output or standard error while it is drawn first erases that line, so results land
 * above the bar, and the bar is drawn again below them once a line is complete. The bar is one line, capped at
 * {@link #MAX_WIDTH} columns and at the terminal's width less one, written with a carriage return and erase to
 * the end of the line (no cursor movement), so nothing printed is ever overwritten. Bars are drawn only when
 * standard output is a terminal ({@link Progress}).
 */
final class Terminal {
    /** The widest bar drawn, in columns. */
    static final int MAX_WIDTH = 100;
    /** Erases the whole line the cursor is on. */
    private static final String ERASE_LINE = "\r\033[2K";

    private static final Object LOCK = new Object();
    /**
     * Where the bar is drawn: standard output, which a bar needs to be a terminal anyway, so that the bar and the
     * results reach the screen in the order they were written (standard error may pass through another process,
     * as the launcher's filter of the JVM's start-up notice, and arrive late).
     */
    private static final PrintStream SCREEN = System.out;
    /** The bar's last rendering while a bar is live, else null. */
    private static String bar;
    /** Whether the bar is on the screen now (it is taken off while a line of text is being written). */
    private static boolean shown;
    /** Whether the last character written by fovea ended a line (the bar may be drawn only then). */
    private static boolean atLineStart = true;

    private Terminal() {
    }

    /** Standard output, sharing the screen with the bar. */
    static PrintWriter out() {
        return new PrintWriter(new Shared(System.out), true);
    }

    /** Standard error, sharing the screen with the bar. */
    static PrintWriter err() {
        return new PrintWriter(new Shared(System.err), true);
    }

    /** A consumer for one progress bar, {@code width} columns at most. */
    static ProgressBarConsumer bar(int width) {
        return new BarConsumer(Math.max(20, Math.min(MAX_WIDTH, width)));
    }

    /** The terminal's width in columns less one, or {@code fallback} when it cannot be told. */
    static int columns(int fallback) {
        String c = System.getenv("COLUMNS");
        if (c != null && c.matches("\\d{1,4}") && Integer.parseInt(c) > 1) {
            return Integer.parseInt(c) - 1;
        }
        try (org.jline.terminal.Terminal t = org.jline.terminal.TerminalBuilder.builder().system(true).dumb(true).build()) {
            int w = t.getWidth();
            return w > 1 ? w - 1 : fallback;
        } catch (Exception | LinkageError e) {
            return fallback;
        }
    }

    private static void hide() {
        if (shown) {
            SCREEN.print(ERASE_LINE);
            SCREEN.flush();
            shown = false;
        }
    }

    private static void showIfAtLineStart() {
        if (bar != null && !shown && atLineStart) {
            SCREEN.print("\r" + bar);
            SCREEN.flush();
            shown = true;
        }
    }

    /**
     * A writer onto a stream of the terminal: it gathers text into whole lines and writes each batch of lines at
     * once, taking the bar off before and putting it back after (text without a line end goes out on flush).
     */
    private static final class Shared extends Writer {
        private final PrintStream target;
        private final StringBuilder pending = new StringBuilder();

        Shared(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (LOCK) {
                pending.append(cbuf, off, len);
                int end = pending.lastIndexOf("\n");
                if (end >= 0) {
                    emit(end + 1);
                }
            }
        }

        @Override
        public void flush() {
            synchronized (LOCK) {
                emit(pending.length());
            }
        }

        @Override
        public void close() {
            flush();
        }

        private void emit(int upTo) {
            if (upTo > 0) {
                hide();
                target.print(pending.substring(0, upTo));
                atLineStart = pending.charAt(upTo - 1) == '\n';
                pending.delete(0, upTo);
            }
            target.flush();
            showIfAtLineStart();
        }
    }

    private static final class BarConsumer implements ProgressBarConsumer {
        private final int width;

        BarConsumer(int width) {
            this.width = width;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            synchronized (LOCK) {
                bar = rendered;
                if (atLineStart) {
                    SCREEN.print("\r" + rendered + "\033[K");
                    SCREEN.flush();
                    shown = true;
                }
            }
        }

        @Override
        public void close() {
            synchronized (LOCK) {
                hide();
                bar = null;
            }
        }
    }
}
