package dev.fovea.cli;

import dev.fovea.method.InvalidOptionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Library option names become the flags of the command that ran. */
class FlagsTest {
    private static CommandLine.Model.CommandSpec spec(String command) {
        return Cli.commandLine().getSubcommands().get(command).getCommandSpec();
    }

    @Test
    void camelCaseNamesBecomeKebabCaseFlags() {
        assertEquals("--batch-size", Flags.kebab("batchSize"));
        assertEquals("--eps", Flags.kebab("eps"));
        assertEquals("--baseline-value", Flags.kebab("baselineValue"));
    }

    @Test
    void theFlagIsLookedUpInTheRunningCommand() {
        assertEquals("--step-size", Flags.flag("stepSize", spec("attack")));
        assertEquals("--targeted", Flags.flag("target", spec("attack")), "attack spells the target --targeted");
        assertEquals("--target", Flags.flag("target", spec("explain")));
        assertNull(Flags.flag("noSuchOption", spec("attack")));
    }

    @Test
    void messagesStartingWithTheNameGetTheFlag() {
        var e = new InvalidOptionException("eps", "eps must be in [0,1] (pixel units), got 2.0");
        assertEquals("--eps must be in [0,1] (pixel units), got 2.0", Flags.spoken(e, spec("attack")));
        var t = new InvalidOptionException("target", "target: unknown class 'Hats'");
        assertEquals("--targeted: unknown class 'Hats'", Flags.spoken(t, spec("attack")));
        var other = new InvalidOptionException("steps", "the number of steps is wrong");
        assertEquals("the number of steps is wrong", Flags.spoken(other, spec("attack")), "a message not led by the name is kept");
        var prefix = new InvalidOptionException("eps", "epsilon is wrong");
        assertEquals("epsilon is wrong", Flags.spoken(prefix, spec("attack")), "only the whole name is replaced");
    }

    @Test
    void aWrongChoiceIsOneLineNamingTheFlagAndTheChoices() {
        CliRun r = CliRun.of("attack", "--norm", "l3", "--method", "pgd");
        assertEquals(Cli.USAGE, r.code(), r.toString());
        assertEquals(1, r.errLines(), r.toString());
        assertEquals("fovea attack: --norm must be linf, l2 or l0, got 'l3'", r.err().strip());
    }
}
