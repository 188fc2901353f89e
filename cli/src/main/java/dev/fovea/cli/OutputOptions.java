package dev.fovea.cli;

import dev.fovea.io.ResultFolder;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --out}/{@code -o DIR} and {@code --force}: the folder a command writes its results to, as a whole
 * ({@link ResultFolder}). As with {@link ModelOptions}, picocli requires {@code --out} ({@link Required}) except in
 * commands that can run without it ({@link Optional}: {@code attack --list}, {@code explain --list}), which check it
 * themselves. ({@code fovea train --out} names a model FILE, not this.)
 *
 * <p>A command calls {@link #open} before its long work (so that a folder it cannot write, or that another run is
 * writing, fails at once), writes its files at {@link #resolve}, and calls {@link #commit} when all are written.
 * {@link Cli}'s execution strategy ({@link #execute}) closes every output of the command that ran, so a run that
 * fails leaves the folder as it was and no temporary folder behind.
 */
public abstract sealed class OutputOptions permits OutputOptions.Required, OutputOptions.Optional {
    static final String DESCRIPTION = "Folder for the results, written as a whole: an earlier result there is replaced with all its files.";

    @Option(names = "--force", description = "Also replace a non-empty --out folder that holds no earlier fovea result (its files are deleted).")
    boolean force;

    /** The folder this run writes, from {@link #open} to {@link #close}. */
    private ResultFolder folder;

    /** The folder, or {@code null} when an {@link Optional} one is not given. */
    abstract Path dir();

    /** Refuses an empty {@code --out}, which would name the current folder, and {@code -} ({@link SingleFile#folder}). */
    void check() {
        SingleFile.folder("--out", dir());
    }

    /**
     * Opens the folder for this run: locked, checked and its temporary folder made (see {@link ResultFolder#open}).
     * A non-empty folder that holds no earlier result is a usage error unless {@code --force}.
     */
    ResultFolder open() throws IOException {
        if (folder != null) {
            throw new IllegalStateException("--out is open already");
        }
        check();
        folder = open(dir(), force);
        return folder;
    }

    /**
     * Opens another result folder of a command ({@code fovea augment --export}) as {@link #open} opens {@code --out}:
     * a non-empty folder that holds no earlier result is a usage error unless {@code force}. The caller closes it.
     */
    static ResultFolder open(Path dir, boolean force) throws IOException {
        try {
            return ResultFolder.open(dir, force);
        } catch (ResultFolder.Refused e) {
            throw new UsageException(e.getMessage() + "; pass --force to replace it or choose another folder");
        }
    }

    /** The open folder (see {@link #open}). */
    ResultFolder folder() {
        if (folder == null) {
            throw new IllegalStateException("--out is not open");
        }
        return folder;
    }

    /** {@code name} in the folder being written. */
    Path resolve(String name) {
        return folder().resolve(name);
    }

    /** Moves the written folder into place. */
    void commit() throws IOException {
        folder().commit();
    }

    /** Releases the folder; one not committed is removed. Whether it was committed, or {@code true} if never opened. */
    boolean close() throws IOException {
        if (folder == null) {
            return true;
        }
        ResultFolder f = folder;
        folder = null;
        f.close();
        return f.committed();
    }

    /** The outputs of a command: those of its mixins, at any depth. */
    static List<OutputOptions> of(CommandLine.Model.CommandSpec spec) {
        List<OutputOptions> all = new ArrayList<>();
        for (CommandLine.Model.CommandSpec m : spec.mixins().values()) {
            if (m.userObject() instanceof OutputOptions o) {
                all.add(o);
            }
            all.addAll(of(m));
        }
        return all;
    }

    /**
     * Runs the command that was parsed with its outputs: {@code --out} is checked first, and every folder the
     * command opened is closed after it, so that a failing run leaves no temporary folder. A command that opened
     * a folder, succeeded and did not commit it is an internal error.
     */
    static int execute(CommandLine.ParseResult parsed) {
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine last = chain.get(chain.size() - 1);
        List<OutputOptions> outs = of(last.getCommandSpec());
        try {
            outs.forEach(OutputOptions::check);
        } catch (UsageException e) {
            throw new CommandLine.ExecutionException(last, e.getMessage(), e);
        }
        int code;
        try {
            code = new CommandLine.RunLast().execute(parsed);
        } catch (CommandLine.ExecutionException e) {
            CommandLine.ExecutionException thrown = named(e, outs);
            closeAll(outs, thrown);
            throw thrown;
        } catch (RuntimeException e) {
            closeAll(outs, e);
            throw e;
        }
        try {
            for (OutputOptions o : outs) {
                if (!o.close() && code == Cli.OK) {
                    throw new IllegalStateException(last.getCommandSpec().qualifiedName() + " wrote --out without committing it");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ExecutionException(last, String.valueOf(e.getMessage()), e);
        }
        return code;
    }

    /** {@code e}, or the same failure naming a file of a temporary folder in the folder given ({@link ResultFolder#named}). */
    private static CommandLine.ExecutionException named(CommandLine.ExecutionException e, List<OutputOptions> outs) {
        IOException io = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause() instanceof IOException i ? i : null;
        IOException named = io;
        for (OutputOptions o : outs) {
            if (o.folder != null && named != null) {
                named = o.folder.named(named);
            }
        }
        return named == io ? e : new CommandLine.ExecutionException(e.getCommandLine(), e.getMessage(), named);
    }

    /** Closes the outputs of a command that failed with {@code failure}, to which a failure to close is added. */
    private static void closeAll(List<OutputOptions> outs, RuntimeException failure) {
        Throwable primary = failure instanceof CommandLine.ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        for (OutputOptions o : outs) {
            try {
                o.close();
            } catch (IOException | RuntimeException c) {
                primary.addSuppressed(c);
            }
        }
    }

    /** {@code --out} that picocli requires. */
    public static final class Required extends OutputOptions {
        @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = DESCRIPTION)
        Path out;

        @Override
        Path dir() {
            return out;
        }
    }

    /** {@code --out} that the command checks itself: it may run without one. */
    public static final class Optional extends OutputOptions {
        @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = DESCRIPTION)
        Path out;

        @Override
        Path dir() {
            return out;
        }

        boolean given() {
            return out != null;
        }
    }
}
