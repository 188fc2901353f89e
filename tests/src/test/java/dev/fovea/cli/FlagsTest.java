package dev.fovea.cli;

import dev.fovea.method.InvalidOptionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Library option names in messages spoken as the flags of the command that ran. */
class FlagsTest {
    private static CommandSpec spec(String... path) {
        CommandLine cl = Cli.commandLine();
        for (String p : path) {
            cl = cl.getSubcommands().get(p);
        }
        return cl.getCommandSpec();
    }

    private static String spoken(CommandSpec spec, String option, String message, String... mentioned) {
        return Flags.spoken(new InvalidOptionException(option, message, mentioned), spec);
    }

    @Test
    void theLeadingNameAndTheMentionedOnes() {
        CommandSpec train = spec("train");
        assertEquals("--batch-size must be at least 1, got 0", spoken(train, "batchSize", "batchSize must be at least 1, got 0"));
        assertEquals("--nesterov needs --optimizer sgd with a positive --momentum",
                spoken(train, "nesterov", "nesterov needs optimizer sgd with a positive momentum", "optimizer", "momentum"));
        assertEquals("--step-epochs must be >= 1 and --gamma > 0", spoken(train, "stepEpochs", "stepEpochs must be >= 1 and gamma > 0", "gamma"));
    }

    @Test
    void aliasesAndOnlyTheFirstOccurrenceOfAMention() {
        CommandSpec eval = spec("eval");
        assertEquals("--input-shape, --mean, --std and --classes describe TorchScript models; /tmp/mean/std.fovea carries its own metadata",
                spoken(eval, "inputShape", "inputShape, mean, std and classNames describe TorchScript models; /tmp/mean/std.fovea carries its own metadata",
                        "mean", "std", "classNames"));
        assertEquals("--device gpu needs --backend libtorch (the own engine runs on the CPU)",
                spoken(eval, "device", "device gpu needs backend libtorch (the own engine runs on the CPU)", "backend"));
    }

    @Test
    void namesWithoutAFlagStay() {
        CommandSpec train = spec("train");
        assertEquals("device gpu needs backend-x libtorch", spoken(train, "device", "device gpu needs backend-x libtorch", "backend"),
                "no flag for device here, and backend-x is not the word backend");
        assertEquals("the message does not start with lr", spoken(train, "lr", "the message does not start with lr"));
    }
}
