package dev.fovea.audit.run;

import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Universal;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.report.UniversalSection;
import dev.fovea.audit.report.Provenance;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A universal perturbation fitted on the first images and measured on the rest, and its section's files. */
class UniversalRunTest {
    @TempDir
    Path dir;

    @Test
    void fitsOnTheFirstImagesAndMeasuresTheRest() throws IOException {
        Dataset d = Fixture.fashion(40);
        UniversalRun run = new UniversalRun(Universal.Options.defaults(Norm.L2, 4).withPasses(1), 24);
        UniversalRun.Result r = run.run(Fixture.lenet5(), d.images(), d.labels());
        assertEquals(16, r.labels().length);
        assertArrayEquals(java.util.Arrays.copyOfRange(d.labels(), 24, 40), r.labels());
        int changed = 0;
        for (int i = 0; i < 16; i++) {
            changed += r.cleanPrediction()[i] != r.perturbedPrediction()[i] ? 1 : 0;
        }
        assertEquals(changed / 16.0, r.heldOutFoolingRate(), 1e-12);
        assertTrue(r.perturbedAccuracy() < r.cleanAccuracy(), r.perturbedAccuracy() + " vs " + r.cleanAccuracy());
        UniversalSection s = new UniversalSection(r);
        assertEquals(List.of("perturbation.npy", "perturbation.png"), s.writeFiles(dir));
        assertTrue(Files.size(dir.resolve("perturbation.png")) > 0);
        UniversalSection.UniversalJson j = s.json(Provenance.of("universal", 0));
        assertEquals(24, j.fitted());
        assertTrue(j.perturbationL2() <= 4 + 1e-5);
    }

    @Test
    void someImagesMustBeHeldOut() {
        Dataset d = Fixture.fashion(10);
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new UniversalRun(Universal.Options.defaults(Norm.L2, 1), 10).run(Fixture.lenet5(), d.images(), d.labels()));
        assertEquals("fit", e.option());
        assertEquals("fit", assertThrows(InvalidOptionException.class, () -> new UniversalRun(Universal.Options.defaults(Norm.L2, 1), 0)).option());
    }
}
