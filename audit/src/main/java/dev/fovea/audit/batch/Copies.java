package dev.fovea.audit.batch;

import dev.fovea.io.ResultFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copying a cell's result folder into another batch folder, as a whole ({@link ResultFolder}). */
final class Copies {
    private Copies() {
    }

    /** Copies the result folder {@code from} to {@code to}, replacing what was there once every file is copied. */
    static void folder(Path from, Path to) throws IOException {
        try (ResultFolder folder = ResultFolder.open(to, false); Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path rel = from.relativize(f);
                if (rel.toString().isEmpty() || rel.toString().equals(ResultFolder.MARKER)) {
                    continue;
                }
                Path target = folder.staging().resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            folder.commit();
        }
    }
}
