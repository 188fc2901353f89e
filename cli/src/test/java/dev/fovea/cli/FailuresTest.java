package dev.fovea.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failure is one line on stderr: parse errors with their hint on the same line, number options refusing NaN
 * and infinities by their flag; an internal error says to run with {@code -v} only when {@code -v} was not given.
 */
class FailuresTest {
    private static void oneLine(CliRun r, int code, String line) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line on stderr: " + r);
        assertEquals(line, r.err().strip(), r.toString());
    }

    @Test
    void parseErrorsAreOneLineWithTheirHint() {
        oneLine(CliRun.of("train", "--epochz", "3", "--out", "x.fovea"), Cli.USAGE,
                "fovea train: Unknown options: '--epochz', '3' (did you mean --epochs or --eps?)");
        oneLine(CliRun.of("train", "--data", "x"), Cli.USAGE,
                "fovea train: Missing required option: '--out=FILE.fovea'; try 'fovea train --help' for the options");
        oneLine(CliRun.of("eval", "--model"), Cli.USAGE,
                "fovea eval: Missing required parameter for option '--model' (FILE); try 'fovea eval --help' for the options");
        oneLine(CliRun.of("train", "--epochs", "x", "--out", "x.fovea"), Cli.USAGE,
                "fovea train: Invalid value for option '--epochs': 'x' is not an int; try 'fovea train --help' for the options");
    }

    @Test
    void aMessageOfSeveralLinesBecomesOne() {
        assertEquals("first; second", Failures.oneLine("first\n  second.\n\n"));
        assertEquals("invalid command line", Failures.oneLine(null));
    }

    @Test
    void numberOptionsRefuseNotANumberAndInfinity() {
        oneLine(CliRun.of("train", "--momentum", "NaN", "--out", "x.fovea"), Cli.USAGE, "fovea train: --momentum: expected a finite number, got 'NaN'");
        oneLine(CliRun.of("train", "--lr", "1e39", "--out", "x.fovea"), Cli.USAGE,
                "fovea train: --lr: expected a finite number within float range, got '1e39'");
        oneLine(CliRun.of("train", "--mean", "0.5,Infinity", "--out", "x.fovea"), Cli.USAGE,
                "fovea train: --mean: expected a finite number, got 'Infinity'");
        oneLine(CliRun.of("attack", "--eps", "0,-Infinity"), Cli.USAGE, "fovea attack: --eps: expected a finite number, got '-Infinity'");
        oneLine(CliRun.of("attack", "--step-size", "NaN"), Cli.USAGE, "fovea attack: --step-size: expected a finite number, got 'NaN'");
        oneLine(CliRun.of("explain", "smoothgrad", "--noise", "NaN"), Cli.USAGE, "fovea explain: --noise: expected a finite number, got 'NaN'");
        oneLine(CliRun.of("explain", "occlusion", "--baseline-value", "1e400"), Cli.USAGE,
                "fovea explain: --baseline-value: expected a finite number, got '1e400'");
        oneLine(CliRun.of("train", "--gamma", "fast", "--out", "x.fovea"), Cli.USAGE, "fovea train: --gamma: expected a number, got 'fast'");
        assertEquals(0.25, FiniteNumbers.real(" 0.25 "));
        assertEquals(1e38f, FiniteNumbers.single("1e38"));
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Mixin
        Verbosity verbosity;

        @Override
        public Integer call() {
            throw new IllegalStateException("boom");
        }
    }

    private static CliRun boom(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Boom()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler(new Failures()).setParameterExceptionHandler(new Failures());
        return new CliRun(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void anInternalErrorPointsAtVerboseOnlyWithoutIt() {
        oneLine(boom(), Cli.INTERNAL, "boom: internal error: java.lang.IllegalStateException: boom (run with -v for the stack trace)");
        CliRun verbose = boom("-v");
        assertEquals(Cli.INTERNAL, verbose.code());
        String first = verbose.err().lines().findFirst().orElseThrow();
        assertEquals("boom: internal error: java.lang.IllegalStateException: boom", first);
        assertFalse(verbose.err().contains("run with -v"), verbose.toString());
        assertTrue(verbose.err().contains("\tat "), "-v prints the stack trace: " + verbose);
    }
}
