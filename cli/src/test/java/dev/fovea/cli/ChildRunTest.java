package dev.fovea.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child-JVM runner that hostile-input tests use reports exit codes, output and a heap that ran out. */
class ChildRunTest {
    @Test
    void aChildRunsTheCommandLine() throws Exception {
        ChildRun r = ChildRun.of(128, 60, "--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("fovea "), r.toString());
        assertFalse(r.outOfMemory());
        ChildRun bad = ChildRun.of(128, 60, "attack", "--eps", "x");
        assertEquals(Cli.USAGE, bad.code(), bad.toString());
        assertTrue(bad.errLines() >= 1, bad.toString());
    }
}
