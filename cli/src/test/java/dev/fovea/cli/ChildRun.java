package dev.fovea.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code fovea} in a child JVM with a small heap ({@code -Xmx}), so that a test of hostile input can assert
 * that the case stayed within it: a run that hit the limit shows {@code OutOfMemoryError} on stdout or stderr, or
 * exit code 137. The child gets this JVM's class path and working directory; its stdout and stderr go to files.
 */
record ChildRun(int code, String out, String err, boolean timedOut) {
    /** Runs {@code args} with at most {@code heapMb} MiB of heap and {@code seconds} of wall time. */
    static ChildRun of(int heapMb, int seconds, String... args) throws IOException, InterruptedException {
        return in(null, heapMb, seconds, args);
    }

    /** As {@link #of}, in working directory {@code dir} (null: this JVM's). */
    static ChildRun in(Path dir, int heapMb, int seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heapMb + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("fovea-child", ".out");
        Path err = Files.createTempFile("fovea-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            String e = Files.readString(err, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
                    .reduce("", (a, b) -> a + b + "\n");
            return new ChildRun(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8), e, !done);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Whether the child ran out of heap. With {@code -XX:+ExitOnOutOfMemoryError} the JVM says so on stdout
     * ("Terminating due to java.lang.OutOfMemoryError: Java heap space") and exits with code 3.
     */
    boolean outOfMemory() {
        return err.contains("OutOfMemoryError") || out.contains("OutOfMemoryError") || code == 137
                || code == 3 && (err.contains("Java heap space") || out.contains("Java heap space"));
    }

    /** The stderr lines that are not blank. */
    long errLines() {
        return err.lines().filter(l -> !l.isBlank()).count();
    }

    @Override
    public String toString() {
        return "exit " + code + (timedOut ? " (timed out)" : "") + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
