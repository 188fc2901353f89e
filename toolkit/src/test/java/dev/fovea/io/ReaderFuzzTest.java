package dev.fovea.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readers under {@link ReaderFuzz}: 500 mutations of each of its 12 valid files (6000 cases, fixed seed) in a
 * child JVM with a 192 MiB heap. No case may throw anything but the readers' documented exceptions, hang, or
 * allocate more than its budget.
 */
class ReaderFuzzTest {
    private static final int CASES_PER_FILE = 500;

    @TempDir
    Path dir;

    @Test
    void mutatedFilesAreReadOrRefusedWithinTimeAndMemory() throws Exception {
        Path out = dir.resolve("fuzz.out");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-Djava.awt.headless=true",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), ReaderFuzz.class.getName(),
                "20261", Integer.toString(CASES_PER_FILE), dir.resolve("scratch").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(170, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(done, "the fuzz run did not finish in time:\n" + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("cases " + 12 * CASES_PER_FILE + " failures 0"), log);
    }
}
