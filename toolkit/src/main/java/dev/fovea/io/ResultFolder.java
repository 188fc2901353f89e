package dev.fovea.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A folder of results written as a whole. {@link #open} locks the folder and makes a hidden temporary sibling
 * {@code .NAME.HEX.tmp} that the run writes into ({@link #staging}, {@link #resolve}); {@link #commit} renames it
 * to {@code NAME}; {@link #close} removes it if the run did not commit, and releases the lock. So a reader sees the
 * old result or the new one, never a mix: no file of an earlier run stays beside the new ones, a failing run leaves
 * the earlier result as it was, and a run killed half-way leaves only its temporary sibling, which the next run
 * into the same folder removes.
 *
 * <p>Every result carries a {@value #MARKER} file. A folder that holds one is replaced as a whole; so is an empty
 * one; any other existing folder is {@linkplain Refused refused} unless the caller allows it, and a file is
 * refused. Replacing a folder takes two renames (the old one aside, the new one in) and then removes the old.
 *
 * <p>The lock is a sibling file {@code .NAME.lock} held with {@link FileChannel#tryLock}, so a second run into the
 * same folder, from this process or another, fails at once ({@link Busy}); the file is removed when the lock is
 * released. All of this happens in {@link #open}, before the run: a folder that cannot be written fails then, with
 * the path and the reason ({@code "out: File name too long"}), not after the run.
 */
public final class ResultFolder implements AutoCloseable {
    /** The file that marks a folder as a fovea result, which a later run may replace. */
    public static final String MARKER = ".fovea-result";

    /** A folder that is not empty and holds no earlier result: replacing it would delete what it holds. */
    public static final class Refused extends FileSystemException {
        private static final long serialVersionUID = 1L;

        Refused(String file, String reason) {
            super(file, null, reason);
        }
    }

    /** A folder another run is writing now. */
    public static final class Busy extends FileSystemException {
        private static final long serialVersionUID = 1L;

        Busy(String file, String reason) {
            super(file, null, reason);
        }
    }

    /** Attempts at taking a lock whose file another run removed meanwhile. */
    private static final int LOCK_ATTEMPTS = 8;

    private final String given;
    private final Path dir;
    private final Path staging;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean replaceAny;
    private boolean committed;
    private boolean closed;

    private ResultFolder(String given, Path dir, Path staging, Path lockFile, FileChannel channel, FileLock lock, boolean replaceAny) {
        this.given = given;
        this.dir = dir;
        this.staging = staging;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.replaceAny = replaceAny;
    }

    /**
     * Opens {@code dir} for a run: creates its parent folders, takes the lock, removes the temporary siblings of a
     * killed run, checks what is there and makes the empty temporary folder, with its {@value #MARKER}. A symbolic
     * link {@code dir} is written through: its target is replaced.
     *
     * @param replaceAny also replace a non-empty folder that holds no earlier result
     * @throws Refused a non-empty folder that is not a result, unless {@code replaceAny}
     * @throws Busy another run holds the lock
     * @throws IOException {@code dir} is a file, or cannot be written (the message names it and says why)
     */
    public static ResultFolder open(Path dir, boolean replaceAny) throws IOException {
        String given = dir.toString();
        if (given.isEmpty()) {
            throw new IllegalArgumentException("result folder: expected a folder name, got an empty path");
        }
        Path abs = Destinations.followLinks(dir, given);
        if (Files.isDirectory(abs)) {
            refuseEnclosing(abs, given);
        }
        Path parent = abs.getParent();
        if (parent == null) {
            throw new FileSystemException(given, null, "the root folder cannot be replaced by a result");
        }
        Destinations.createFolders(parent, given);
        String name = abs.getFileName().toString();
        Path lockFile = parent.resolve("." + name + ".lock");
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock = lock(channel, lockFile, given);
            for (int attempt = 1; lock == null; attempt++) {
                channel.close();
                if (attempt == LOCK_ATTEMPTS) {
                    throw new Busy(given, "another fovea run keeps replacing its lock " + lockFile.getFileName());
                }
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                lock = lock(channel, lockFile, given);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            try (DirectoryStream<Path> stale = Destinations.temps(parent, name)) {
                for (Path p : stale) {
                    Destinations.deleteTree(p);
                }
            }
            check(abs, given, replaceAny);
            Path staging = Files.createDirectory(parent.resolve(Destinations.tempName(name)));
            Files.write(staging.resolve(MARKER), ("fovea result folder: the next run into " + name
                    + " replaces it as a whole\n").getBytes(StandardCharsets.UTF_8));
            return new ResultFolder(given, abs, staging, lockFile, channel, lock, replaceAny);
        } catch (IOException e) {
            abandon(lockFile, channel, lock);
            throw e instanceof FileSystemException fs && given.equals(fs.getFile()) ? fs : Destinations.failure(given, e);
        } catch (RuntimeException e) {
            abandon(lockFile, channel, lock);
            throw e;
        }
    }

    /** Lets go of a lock taken by an {@link #open} that failed: its file is removed only if this run held it. */
    private static void abandon(Path lockFile, FileChannel channel, FileLock lock) throws IOException {
        if (lock != null) {
            Files.deleteIfExists(lockFile);
        }
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * The lock on {@code channel}'s file, or {@code null} when that file is no longer {@code lockFile} (a run
     * that held it removed it before letting go): the caller opens the new one.
     *
     * @throws Busy another run holds it
     */
    private static FileLock lock(FileChannel channel, Path lockFile, String given) throws IOException {
        Object opened = fileKey(lockFile);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ByteBuffer b = ByteBuffer.allocate(32);
            channel.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            channel.close();
            throw new Busy(given, "another fovea run" + (pid.matches("\\d+") ? " (process " + pid + ")" : "") + " is writing this folder");
        }
        Object now = fileKey(lockFile);
        if (opened == null || !opened.equals(now)) {
            lock.release();
            return null;
        }
        return lock;
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() != null ? a.fileKey() : p;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A result never replaces the current folder, the home folder, or a folder that holds either. */
    private static void refuseEnclosing(Path abs, String given) throws IOException {
        Path real = abs.toRealPath();
        Path cwd = Path.of("").toAbsolutePath().toRealPath();
        Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath();
        if (cwd.startsWith(real) || Files.isDirectory(home) && home.toRealPath().startsWith(real)) {
            throw new FileSystemException(given, null, "holds the current folder or the home folder; a result never replaces it, choose another folder");
        }
    }

    /** Refuses what is at {@code abs} unless it is missing, an empty folder or an earlier result (or any folder, if allowed). */
    private static void check(Path abs, String given, boolean replaceAny) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(abs, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isDirectory()) {
            throw new FileSystemException(given, null, a.isRegularFile() ? "is a file, not a folder" : "is not a folder");
        }
        if (!replaceAny && !isResult(abs) && !isEmpty(abs)) {
            throw new Refused(given, "is not empty and holds no fovea result");
        }
    }

    /**
     * Whether {@code dir} holds a result that a run may replace: one with the {@value #MARKER} file, or one written
     * before results were marked (no subfolder, and an {@code attack.json} or {@code explain.json} that names a
     * {@code fovea_version}).
     */
    public static boolean isResult(Path dir) {
        if (Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            boolean summary = false;
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
                String n = p.getFileName().toString();
                if ((n.equals("attack.json") || n.equals("explain.json")) && Files.size(p) < (1 << 26)
                        && Files.readString(p, StandardCharsets.UTF_8).contains("\"fovea_version\"")) {
                    summary = true;
                }
            }
            return summary;
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** The folder the result goes to, absolute, links followed. */
    public Path dir() {
        return dir;
    }

    /** The temporary folder the run writes into, until {@link #commit}. */
    public Path staging() {
        return staging;
    }

    /** {@code name} in the temporary folder. */
    public Path resolve(String name) {
        return staging.resolve(name);
    }

    /**
     * {@code e} as the user should read it: a failure of a file in the temporary folder names that file in the
     * folder given ({@code out/grid.png: No space left on device}, not {@code .out.HEX.tmp/grid.png}); any other
     * failure is returned as it is.
     */
    public IOException named(IOException e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            Path file = Path.of(fs.getFile()).toAbsolutePath().normalize();
            if (file.startsWith(staging) && !file.equals(staging)) {
                FileSystemException n = new FileSystemException(Path.of(given).resolve(staging.relativize(file)).toString(), fs.getOtherFile(),
                        Destinations.words(fs));
                n.initCause(e);
                return n;
            }
        }
        return e;
    }

    /** Whether {@link #commit} moved the result into place. */
    public boolean committed() {
        return committed;
    }

    /** Moves the result into place, replacing what was there. */
    public void commit() throws IOException {
        if (closed || committed) {
            throw new IllegalStateException("result folder " + given + ": already " + (committed ? "committed" : "closed"));
        }
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
                return;
            }
            check(dir, given, replaceAny);
            Path old = dir.resolveSibling(Destinations.tempName(dir.getFileName().toString()));
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            committed = true;
            try {
                Destinations.deleteTree(old);
            } catch (IOException e) {
                // The result is in place; what is left of the old one is a stale sibling the next run removes.
            }
        } catch (FileSystemException e) {
            throw given.equals(e.getFile()) ? e : Destinations.failure(given, e);
        }
    }

    /** Removes the temporary folder if the result was not committed, and releases the lock (removing its file). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel c = channel) {
            try {
                if (!committed) {
                    Destinations.deleteTree(staging);
                }
            } finally {
                // Removed before it is released: a run waiting on this file then sees it gone and takes a new one.
                Files.deleteIfExists(lockFile);
                lock.release();
            }
        }
    }

    @Override
    public String toString() {
        return given;
    }
}
