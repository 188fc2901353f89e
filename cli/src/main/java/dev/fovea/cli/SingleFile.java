package dev.fovea.cli;

import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An option that names one file to write ({@code --json FILE}): {@code -} means standard output; a file is checked
 * before the run ({@link AtomicFiles#checkWritable}) and written all or nothing, through links and into FIFOs and
 * devices ({@link AtomicFiles#write}).
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
