package dev.fovea.audit.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.attacks.certify.RandomizedSmoothing;
import dev.fovea.attacks.certify.SmoothingOptions;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.report.CertifySection;
import dev.fovea.audit.report.Json;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificates on the bundled LeNet-5: the curve, the table, the attack beside them and the report's files. */
class CertifyRunTest {
    private static final SmoothingOptions FAST = new SmoothingOptions(0.25, 20, 200, 0.01, 3);

    @TempDir
    Path dir;

    @Test
    void certifiedAccuracyFallsWithRadiusAndAgreesWithTheCertificates() {
        Dataset d = Fixture.fashion(12);
        CertifyRun.Result r = CertifyRun.of(FAST, 0.5, 0, 0.25).run(Fixture.lenet5(), d);
        assertEquals(List.of(0.0, 0.25, 0.5), r.plan().radii(), "sorted");
        assertEquals(12, r.certificates().size());
        long abstained = r.certificates().stream().filter(RandomizedSmoothing.Certificate::abstained).count();
        assertEquals(abstained / 12.0, r.abstention());
        for (CertifyRun.Point p : r.atRadii()) {
            long right = 0;
            for (int i = 0; i < 12; i++) {
                RandomizedSmoothing.Certificate c = r.certificates().get(i);
                right += c.label() == d.labels()[i] && c.radius() >= p.radius() ? 1 : 0;
            }
            assertEquals(right / 12.0, p.certifiedAccuracy(), "radius " + p.radius());
        }
        for (int g = 1; g < r.curveRadii().length; g++) {
            assertTrue(r.curveAccuracy()[g] <= r.curveAccuracy()[g - 1], "the curve never rises");
        }
        assertEquals(0, r.curveAccuracy()[r.curveAccuracy().length - 1], "nothing is certified beyond the largest radius n allows");
        assertTrue(r.curveRadii()[r.curveRadii().length - 1] >= FAST.largestRadius());
    }

    @Test
    void theBatchSizeChangesNothing() throws IOException {
        Network net = ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea"));
        Dataset d = Fixture.fashion(6);
        CertifyRun plan = CertifyRun.of(FAST, 0.25);
        var a = plan.run(new EngineClassifier(net, 7), d.images(), d.labels(), ProgressListener.NONE);
        var b = plan.run(new EngineClassifier(net, 256), d.images(), d.labels(), ProgressListener.NONE);
        assertEquals(a.certificates(), b.certificates());
    }

    @Test
    void anL2AttackStandsBesideTheCertificate() throws IOException {
        Dataset d = Fixture.fashion(6);
        CertifyRun.Result r = CertifyRun.of(FAST, 0, 1.0).withAttack("pgd").run(Fixture.lenet5(), d);
        assertEquals(2, r.empirical().size());
        assertEquals(r.baseAccuracy(), r.empirical().get(0).baseRobustAccuracy(), "radius 0 is the clean base classifier");
        assertTrue(r.empirical().get(1).baseRobustAccuracy() <= r.baseAccuracy());
        for (CertifyRun.Empirical e : r.empirical()) {
            assertEquals(6, e.predictions().size());
            assertTrue(e.smoothedAccuracy() + e.smoothedAbstention() <= 1 + 1e-12);
        }
        Provenance p = Provenance.of("certify", 3).withData(d).withOptions(r.plan().options());
        Report.of(p, new CertifySection(r, "lenet5.fovea")).write(dir.resolve("out"));
        for (String f : List.of("certify.json", "certify.csv", "certified_accuracy.png")) {
            assertTrue(Files.size(dir.resolve("out").resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(dir.resolve("out/certify.csv"));
        assertEquals(CertifySection.CSV_HEADER, csv.get(0));
        assertEquals(7, csv.size());
        JsonNode j = Json.MAPPER.readTree(dir.resolve("out/certify.json").toFile());
        assertEquals(0.25, j.get("sigma").asDouble());
        assertEquals(200, j.get("n").asInt());
        assertEquals("the base classifier", j.get("attack").get("attacked").asText());
        assertEquals(r.certifiedAccuracy(1.0), j.get("certified_accuracy").get(1).get("certified_accuracy").asDouble());
        assertEquals(0.25, j.get("provenance").get("options").get("sigma").asDouble());
    }

    @Test
    void badPlansNameTheOption() {
        assertEquals("radii", assertThrows(InvalidOptionException.class, () -> CertifyRun.of(FAST, 0.5, 0.5)).option());
        assertEquals("radii", assertThrows(InvalidOptionException.class, () -> CertifyRun.of(FAST, -0.1)).option());
        assertEquals("radii", assertThrows(InvalidOptionException.class, () -> CertifyRun.of(FAST)).option());
        InvalidOptionException l0 = assertThrows(InvalidOptionException.class, () -> CertifyRun.of(FAST, 0.5).withAttack("jsma"));
        assertTrue(l0.getMessage().contains("l0") && l0.getMessage().contains("l2"), l0.getMessage());
        InvalidOptionException linf = assertThrows(InvalidOptionException.class,
                () -> CertifyRun.of(FAST, 0.5).withAttack(AttackRun.of("pgd", 0.5).withNorm(dev.fovea.attacks.Norm.LINF)));
        assertEquals("attack", linf.option());
    }
}
