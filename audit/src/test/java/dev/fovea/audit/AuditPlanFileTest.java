package dev.fovea.audit;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A plan file's budgets: numbers or fractions such as {@code 8/255}, and a budget given twice in one list run once, with a note. */
class AuditPlanFileTest {
    static final Shape INPUT = Shape.of(1, 28, 28);

    @TempDir
    Path dir;

    @Test
    void fractionsReadAndRepeatsRunOnceWithANote() throws IOException {
        Path file = dir.resolve("plan.yaml");
        Files.writeString(file, """
                verdict_eps: 8/255
                attacks:
                  - {method: pgd, eps: [0, 8/255, 0.03137254901960784, 0.1, 0], step_size: 2/255, steps: 3}
                  - {method: fgsm, eps: [1/255, 0.1]}
                diagnostics: {eps: [4/255, 4/255]}
                """);
        List<String> notes = new ArrayList<>();
        AuditPlan plan = AuditPlan.of(AuditPlan.Profile.QUICK, INPUT, 0).overriddenBy(file, notes::add);
        assertEquals(8 / 255.0, plan.verdictEps());
        assertEquals(List.of(0.0, 8 / 255.0, 0.1), plan.attacks().get(0).eps(), "each budget once, in the order first given");
        assertEquals(2 / 255.0, plan.attacks().get(0).stepSize());
        assertEquals(List.of(1 / 255.0, 0.1), plan.attacks().get(1).eps());
        assertEquals(List.of(4 / 255.0), plan.diagnostics().eps());
        assertEquals(List.of(file + ": attacks[0].eps: 0.0314, 0.0 are given more than once; each runs once",
                file + ": diagnostics.eps: 0.0157 is given more than once; it runs once"), notes);
        assertEquals(List.of(0.0, 8 / 255.0, 0.1), plan.attacks().get(0).run(INPUT, 0).budgets(), "the plan runs");
    }

    @Test
    void aBudgetThatIsNoNumberIsNamed() throws IOException {
        Path file = dir.resolve("plan.json");
        Files.writeString(file, "{\"attacks\": [{\"method\": \"pgd\", \"eps\": [\"8/0\"]}]}");
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> AuditPlan.of(AuditPlan.Profile.QUICK, INPUT, 0).overriddenBy(file));
        assertEquals(file + ": attacks[0].eps: expected a number or a fraction such as 8/255, got '8/0'", e.getMessage());
    }
}
