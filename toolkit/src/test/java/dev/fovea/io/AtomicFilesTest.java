package dev.fovea.io;

import dev.fovea.image.Images;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtomicFiles}: through links, into devices, stale temporaries removed, failures that name the file and the reason. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aPngOnAFullDiskNamesTheFileAndTheReason() {
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Images.writePng(Path.of("/dev/full"), Tensor.zeros(Shape.of(1, 4, 4))));
        assertEquals("/dev/full: No space left on device", e.getMessage());
    }

    @Test
    void aFileIsWrittenThroughItsLinkAndItsStaleTemporariesGo() throws IOException {
        Path target = Files.writeString(dir.resolve("target.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target.getFileName());
        Files.writeString(dir.resolve(".target.json.1f.tmp"), "stale");
        AtomicFiles.write(link, out -> out.write("new".getBytes()));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("link.json", "target.json"), names(dir));
    }

    @Test
    void aFolderIsNotAFile() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.checkWritable(dir));
        assertEquals(dir + ": is a folder, not a file", e.getMessage());
    }
}
