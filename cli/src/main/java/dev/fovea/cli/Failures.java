package dev.fovea.cli;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionMessage;
import dev.fovea.model.ModelOutputException;
import dev.fovea.tensor.ShapeException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;

/**
 * Turns failures into one line on stderr and an exit code: option errors 2, unreadable or incompatible input 3
 * (a model whose outputs fail the classifier's checks among them), anything else 1. A parse error is one line too:
 * picocli's message, then the options it suggests or where the options are listed. The stack trace is printed only
 * with {@code -v}, and only without it does an internal error say so. The library's option names in a message
 * ({@link OptionMessage}) become the flags of the command that ran ({@link Flags}).
 */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        if (ex.getCause() instanceof Choices.Wrong w && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            err.println(cl.getCommandSpec().qualifiedName() + ": " + o.longestName() + w.getMessage());
            err.flush();
            return Cli.USAGE;
        }
        String name = cl.getCommandSpec().qualifiedName();
        List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        String hint = suggestions.isEmpty() ? "; try '" + name + " --help' for the options"
                : " (did you mean " + String.join(" or ", suggestions) + "?)";
        err.println(name + ": " + oneLine(ex.getMessage()) + hint);
        err.flush();
        return Cli.USAGE;
    }

    /** {@code message} on one line: its lines joined by {@code "; "}, without a trailing full stop. */
    static String oneLine(String message) {
        if (message == null) {
            return "invalid command line";
        }
        String joined = String.join("; ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return joined.endsWith(".") ? joined.substring(0, joined.length() - 1) : joined;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = Verbosity.isVerbose(parsed);
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        int code;
        String msg;
        if (t instanceof InvalidOptionException) {
            code = Cli.USAGE;
            msg = t.getMessage();
        } else if (t instanceof UsageException) {
            code = Cli.USAGE;
            msg = t.getMessage();
        } else if (t instanceof NoSuchFileException nf) {
            code = Cli.INPUT;
            msg = nf.getFile() + ": " + (nf.getReason() == null ? "no such file" : nf.getReason());
        } else if (t instanceof AccessDeniedException ad) {
            code = Cli.INPUT;
            msg = ad.getFile() + ": permission denied";
        } else if (t instanceof FileSystemException fs && fs.getReason() == null && fs.getFile() != null) {
            code = Cli.INPUT;
            msg = fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + reason(fs);
        } else if (t instanceof IOException || t instanceof ShapeException || t instanceof ModelOutputException) {
            code = Cli.INPUT;
            msg = t.getMessage();
        } else if (t instanceof IllegalArgumentException) {
            code = Cli.USAGE;
            msg = t.getMessage();
        } else if (t instanceof ArithmeticException) {
            code = Cli.INTERNAL;
            msg = t.getMessage();
        } else {
            code = Cli.INTERNAL;
            msg = "internal error: " + t + (verbose ? "" : " (run with -v for the stack trace)");
        }
        if (t instanceof OptionMessage om) {
            msg = Flags.spoken(om, cl.getCommandSpec());
        }
        err.println(cl.getCommandSpec().qualifiedName() + ": " + msg);
        if (verbose) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The reason of a file-system failure that names only its path. */
    private static String reason(FileSystemException e) {
        return e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a folder"
                : e instanceof DirectoryNotEmptyException ? "folder not empty"
                : e.getClass().getSimpleName();
    }
}
