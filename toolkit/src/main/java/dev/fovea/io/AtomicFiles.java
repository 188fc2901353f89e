package dev.fovea.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes a file all or nothing: the bytes go to a hidden temporary file {@code .NAME.HEX.tmp} beside the target,
 * which is then renamed over it. A failed write leaves the target as it was and removes the temporary file; the
 * temporary files a killed run left beside the target are removed by the next write to it (a live writer holds a
 * lock on its own, so only stale ones go). Missing parent folders are created.
 *
 * <p>Where the bytes go is decided as the shell's {@code >} would: a symbolic link is written through (its target
 * is replaced, atomically there, and the link stays); a FIFO, a device, or any path under {@code /dev} or
 * {@code /proc} ({@code /dev/stdout}) is written into directly, appending, since a rename would replace it; a
 * folder is refused. Failures name the target as given, with the reason ({@code "out.json: No space left on
 * device"}), not the temporary file.
 */
public final class AtomicFiles {
    /** Writes the content of a file to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The file the bytes go to, and whether they go into it directly rather than through a rename. */
    private record Destination(Path path, boolean direct) {
    }

    private AtomicFiles() {
    }

    /** Writes {@code target} from {@code content}: atomically, or directly into a special file. */
    public static void write(Path target, Content content) throws IOException {
        String given = target.toString();
        Destination d = destination(target);
        if (d.direct()) {
            try (OutputStream out = new BufferedOutputStream(new Named(
                    open(d.path(), given, StandardOpenOption.WRITE, StandardOpenOption.APPEND), given), 1 << 16)) {
                writeContent(content, out);
            }
            return;
        }
        Path file = d.path();
        Path dir = file.getParent();
        Destinations.createFolders(dir, given);
        removeStale(dir, file.getFileName().toString());
        Path tmp = dir.resolve(Destinations.tempName(file.getFileName().toString()));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            OutputStream out = new BufferedOutputStream(new Named(Channels.newOutputStream(ch), given), 1 << 16);
            writeContent(content, out);
            out.flush();
            keepPermissions(file, tmp);
            Destinations.rename(tmp, file);
        } catch (FileSystemException e) {
            throw given.equals(e.getFile()) ? e : Destinations.failure(given, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Checks, before a long run, that {@link #write} could write {@code target}: the folders above it are created,
     * a temporary file is made and removed beside it (stale ones go), a special file must be writable, and a folder
     * is refused.
     */
    public static void checkWritable(Path target) throws IOException {
        String given = target.toString();
        Destination d = destination(target);
        if (d.direct()) {
            if (!Files.isWritable(d.path())) {
                throw new FileSystemException(given, null, Files.exists(d.path()) ? "not writable" : "no such file or folder");
            }
            return;
        }
        Path dir = d.path().getParent();
        Destinations.createFolders(dir, given);
        removeStale(dir, d.path().getFileName().toString());
        Path probe = dir.resolve(Destinations.tempName(d.path().getFileName().toString()));
        try {
            Files.createFile(probe);
        } catch (FileSystemException e) {
            throw Destinations.failure(given, e);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static Destination destination(Path target) throws IOException {
        String given = target.toString();
        if (given.isEmpty()) {
            throw new IllegalArgumentException("file: expected a file name, got an empty path");
        }
        // A link into /dev or /proc (/dev/stdout -> /proc/self/fd/1) is written into, never replaced.
        Path p = Destinations.followLinks(target, given);
        if (Destinations.special(p)) {
            return new Destination(p, true);
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            // Missing, or a file on the way that is not a folder: the write creates it, or createFolders says why not.
            return new Destination(p, false);
        }
        if (a.isDirectory()) {
            throw new FileSystemException(given, null, "is a folder, not a file");
        }
        return new Destination(p, !a.isRegularFile());
    }

    private static OutputStream open(Path path, String given, StandardOpenOption... options) throws IOException {
        try {
            return Files.newOutputStream(path, options);
        } catch (FileSystemException e) {
            throw Destinations.failure(given, e);
        }
    }

    /** Runs {@code content}; a failure of the stream that a codec wrapped (ImageIO's "I/O error") is rethrown as it was. */
    private static void writeContent(Content content, OutputStream out) throws IOException {
        try {
            content.writeTo(out);
        } catch (IOException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof Named.Failure f) {
                    throw f;
                }
            }
            throw e;
        }
    }

    /** Removes the temporary siblings of {@code name} in {@code dir} that no live writer holds. */
    private static void removeStale(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> s = Destinations.temps(dir, name)) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) {
                    removeIfStale(p);
                }
            }
        }
    }

    /** Removes {@code tmp} if no writer holds it: its writer's exclusive lock keeps out this shared one. */
    private static void removeIfStale(Path tmp) {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return; // written by this JVM now
            }
            if (lock != null) {
                try (lock) {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            // Gone meanwhile (its writer renamed it), or not ours to remove: it stays, and the write goes on.
        }
    }

    /** Gives {@code tmp} the permissions of the file it replaces, where the file system has them. */
    private static void keepPermissions(Path file, Path tmp) {
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
        } catch (IOException | UnsupportedOperationException e) {
            // a new file, or no POSIX permissions: the defaults stay
        }
    }

    /** An output stream whose failures name the target the caller gave. */
    private static final class Named extends FilterOutputStream {
        /** A failure of the stream, as opposed to one of the content written to it. */
        static final class Failure extends FileSystemException {
            private static final long serialVersionUID = 1L;

            Failure(String given, IOException e) {
                super(given, null, Destinations.reason(e));
                initCause(e);
            }
        }

        private final String given;

        Named(OutputStream out, String given) {
            super(out);
            this.given = given;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new Failure(given, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new Failure(given, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new Failure(given, e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new Failure(given, e);
            }
        }
    }
}
