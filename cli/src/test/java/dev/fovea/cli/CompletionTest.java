package dev.fovea.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fovea generate-completion} prints a bash/zsh completion script that knows the commands and their options. */
class CompletionTest {
    @Test
    void theCompletionScriptNamesTheCommandsAndTheirOptions() {
        CliRun r = CliRun.of("generate-completion");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("complete -F _complete_fovea"), "a bash completion function for fovea");
        for (String word : new String[] {"audit", "augment", "attack", "--fail-under", "--corruptions", "--severities"}) {
            assertTrue(r.out().contains(word), word);
        }
    }
}
