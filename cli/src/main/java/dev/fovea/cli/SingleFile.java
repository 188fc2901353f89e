package dev.fovea.cli;

import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An option that names one file to write ({@code --json FILE}): {@code -} means standard output, as it does for
 * {@code curl -o -} and {@code tar -f -}; a file is checked before the run ({@link AtomicFiles#checkWritable}) and
 * written all or nothing, through links and into FIFOs and devices ({@link AtomicFiles#write}). When standard
 * output carries the file, the command prints nothing else there ({@link #tables}); notes and warnings go to
 * standard error as always. An option that names a folder of several files refuses {@code -} ({@link #folder}),
 * rather than making a folder named {@code -}.
 */
final class SingleFile {
    /** The value that means standard output. */
    static final String STDOUT = "-";

    private SingleFile() {
    }

    /** Whether {@code file} is {@code -}, standard output. */
    static boolean isStdout(Path file) {
        return file != null && file.toString().equals(STDOUT);
    }

    /** Checks before the run that {@code file} (given with {@code flag}; {@code null}: not given) can be written. */
    static void check(String flag, Path file) throws IOException {
        if (file == null || isStdout(file)) {
            return;
        }
        if (file.toString().isBlank()) {
            throw new UsageException(flag + ": expected a file, got an empty name ('" + STDOUT + "' is standard output)");
        }
        AtomicFiles.checkWritable(file);
    }

    /**
     * Checks that {@code dir} (given with {@code flag}; {@code null}: not given) can name a folder: not empty, and
     * not {@code -}, since a folder of several files cannot be one stream.
     */
    static void folder(String flag, Path dir) {
        if (dir == null) {
            return;
        }
        if (dir.toString().isBlank()) {
            throw new UsageException(flag + ": expected a folder, got an empty name");
        }
        if (isStdout(dir)) {
            throw new UsageException(flag + ": expected a folder, got '" + STDOUT + "': the results are several files, which standard output cannot carry");
        }
    }

    /** Where a command prints its tables: nowhere when {@code file} is standard output, which carries the file then. */
    static PrintWriter tables(Path file, PrintWriter stdout) {
        return isStdout(file) ? new PrintWriter(Writer.nullWriter()) : stdout;
    }

    /** Writes the text {@code bytes} to {@code file}, or to {@code stdout} for {@code -}, with a final newline. */
    static void write(Path file, byte[] bytes, PrintWriter stdout) throws IOException {
        if (isStdout(file)) {
            stdout.println(new String(bytes, StandardCharsets.UTF_8));
            stdout.flush();
        } else {
            AtomicFiles.write(file, out -> out.write(bytes));
        }
    }
}
