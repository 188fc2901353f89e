package dev.fovea.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ResultFolder}: a folder appears whole, replaces an earlier result, is refused when it holds other files, and has one writer. */
class ResultFolderTest {
    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aResultAppearsWholeAtCommitAndReplacesTheEarlierOne() throws IOException {
        Path out = dir.resolve("out");
        try (ResultFolder f = ResultFolder.open(out, false)) {
            Files.writeString(f.resolve("a.txt"), "1");
            Files.writeString(f.resolve("b.txt"), "1");
            assertFalse(Files.exists(out), "nothing before the commit");
            f.commit();
        }
        try (ResultFolder f = ResultFolder.open(out, false)) {
            Files.writeString(f.resolve("a.txt"), "2");
            assertEquals(List.of(ResultFolder.MARKER, "a.txt", "b.txt"), names(out), "the earlier result until the commit");
            f.commit();
        }
        assertEquals(List.of(ResultFolder.MARKER, "a.txt"), names(out));
        assertEquals("2", Files.readString(out.resolve("a.txt")));
        assertEquals(List.of("out"), names(dir), "no temporary folder, no lock");
    }

    @Test
    void aFolderNotCommittedIsRemovedAndTheEarlierResultStays() throws IOException {
        Path out = dir.resolve("out");
        try (ResultFolder f = ResultFolder.open(out, false)) {
            Files.writeString(f.resolve("a.txt"), "1");
            f.commit();
        }
        try (ResultFolder f = ResultFolder.open(out, false)) {
            Files.writeString(f.resolve("a.txt"), "2");
        }
        assertEquals("1", Files.readString(out.resolve("a.txt")));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void aSecondOpenOfTheSameFolderFailsAtOnce() throws IOException {
        Path out = dir.resolve("out");
        try (ResultFolder f = ResultFolder.open(out, false)) {
            ResultFolder.Busy e = assertThrows(ResultFolder.Busy.class, () -> ResultFolder.open(dir.resolve("x/../out"), false));
            assertTrue(e.getMessage().contains("is writing this folder"), e.getMessage());
            f.commit();
        }
        try (ResultFolder f = ResultFolder.open(out, false)) {
            f.commit();
        }
        assertEquals(List.of("out"), names(dir), "the lock is released and removed");
    }

    @Test
    void aFolderOfOtherFilesIsRefusedUnlessAllowed() throws IOException {
        Path out = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(out.resolve("keep.txt"), "k");
        assertThrows(ResultFolder.Refused.class, () -> ResultFolder.open(out, false));
        assertEquals(List.of("keep.txt"), names(out));
        assertEquals(List.of("mine"), names(dir));
        try (ResultFolder f = ResultFolder.open(out, true)) {
            f.commit();
        }
        assertEquals(List.of(ResultFolder.MARKER), names(out));
    }

    @Test
    void aResultWrittenBeforeResultsWereMarkedIsReplaced() throws IOException {
        Path out = Files.createDirectories(dir.resolve("old"));
        Files.writeString(out.resolve("attack.json"), "{\n  \"method\" : \"pgd\",\n  \"fovea_version\" : \"0.1.0\"\n}");
        Files.writeString(out.resolve("adversarial_eps0.1.npy"), "x");
        try (ResultFolder f = ResultFolder.open(out, false)) {
            f.commit();
        }
        assertEquals(List.of(ResultFolder.MARKER), names(out));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("attack.json"), "{\"mine\": true}");
        assertThrows(ResultFolder.Refused.class, () -> ResultFolder.open(other, false), "a JSON file of another tool is no result");
    }

    @Test
    void theCurrentFolderIsNeverReplacedEvenWhenAllowed() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        var e = assertThrows(IOException.class, () -> ResultFolder.open(cwd, true));
        assertTrue(e.getMessage().contains("current folder"), e.getMessage());
        assertThrows(IOException.class, () -> ResultFolder.open(cwd.getParent(), true), "nor a folder above it");
        assertTrue(Files.exists(cwd.resolve("pom.xml")), "nothing was removed");
    }

    @Test
    void aFailureInTheTemporaryFolderNamesTheFileInTheFolderGiven() throws IOException {
        Path out = dir.resolve("out");
        try (ResultFolder f = ResultFolder.open(out, false)) {
            IOException e = f.named(new java.nio.file.FileSystemException(f.resolve("grid.png").toString(), null, "No space left on device"));
            assertEquals(out.resolve("grid.png") + ": No space left on device", e.getMessage());
            IOException other = new IOException("elsewhere");
            assertEquals(other, f.named(other));
        }
    }
}
