package dev.fovea.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What {@link AtomicFiles} and {@link ResultFolder} share: following a path's symbolic links to where the bytes
 * go, creating the folders above it with a reason when that fails, the names of hidden temporary siblings
 * ({@code .NAME.HEX.tmp}) and their removal, and failures that name the path the caller gave.
 */
final class Destinations {
    /** Links followed at most, as Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,16}");

    private Destinations() {
    }

    /**
     * {@code path} made absolute with its last element's symbolic links followed, as the system would: the path a
     * rename must replace. A dangling link gives the missing file it points to; following stops at a path under
     * {@code /dev} or {@code /proc} ({@link #special}), whose links may name no file ({@code pipe:[123]}).
     */
    static Path followLinks(Path path, String given) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        for (int hops = 0; !special(p) && Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new FileSystemException(given, null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            p = p.getParent().toRealPath().resolve(link).normalize();
        }
        return p;
    }

    /** Whether {@code path} lies under {@code /dev} or {@code /proc}, where files are devices or views of a process. */
    static boolean special(Path path) {
        return path.startsWith("/dev") || path.startsWith("/proc");
    }

    /**
     * Creates {@code dir} and its parents for writing {@code given}; a file on the way, or any other failure, is
     * reported as {@code "given: reason"}.
     */
    static void createFolders(Path dir, String given) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new FileSystemException(given, null, existing + (Files.isRegularFile(existing) ? " is a file" : " is not a folder")
                    + ", not a folder to write in");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw failure(given, e);
        }
    }

    /** A hidden name for a temporary sibling of {@code name}: {@code .NAME.HEX.tmp}. */
    static String tempName(String name) {
        return "." + name + "." + String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /**
     * Whether {@code file} is named as {@link #tempName} names a temporary sibling of {@code name} (or as earlier
     * versions did, with fewer hex digits).
     */
    static boolean isTemp(String file, String name) {
        String prefix = "." + name + ".";
        return file.startsWith(prefix) && file.endsWith(".tmp") && file.length() > prefix.length() + 4
                && HEX.matcher(file.substring(prefix.length(), file.length() - 4)).matches();
    }

    /** The temporary siblings of {@code name} in {@code dir}, stale or not. */
    static DirectoryStream<Path> temps(Path dir, String name) throws IOException {
        return Files.newDirectoryStream(dir, p -> isTemp(p.getFileName().toString(), name));
    }

    /** Deletes {@code path}, and everything in it if it is a folder; links are removed, not followed. */
    static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(path)) {
                for (Path p : s) {
                    deleteTree(p);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /** Renames {@code from} to {@code to} in one step, replacing a file {@code to} (not a folder). */
    static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** {@code e} as {@code "given: reason"}, its cause kept: the path the user named, not a temporary one. */
    static FileSystemException failure(String given, IOException e) {
        FileSystemException f = new FileSystemException(given, null, reason(e));
        f.initCause(e);
        return f;
    }

    /** Why {@code e} happened, in words, with the file it names when that is all it says. */
    static String reason(IOException e) {
        String what = words(e);
        return e instanceof FileSystemException fs && fs.getReason() == null && fs.getFile() != null ? fs.getFile() + ": " + what : what;
    }

    /** Why {@code e} happened, in words, also for the exceptions that carry only a path. */
    static String words(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof DirectoryNotEmptyException ? "folder not empty"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException ? e.getClass().getSimpleName()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
