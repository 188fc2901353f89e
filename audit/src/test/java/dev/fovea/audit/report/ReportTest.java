package dev.fovea.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.run.AttackRun;
import dev.fovea.audit.run.ExplainRun;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.io.ResultFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    @TempDir
    Path dir;

    @Test
    void recordsSerialiseWithSnakeCaseKeysInDeclarationOrder() throws IOException {
        record Sample(int sampleIndex, double robustAccuracy, String modelSha256) {
        }
        String json = new String(Json.bytes(new Sample(1, 0.5, "ab")), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\n  \"sample_index\" : 1,\n  \"robust_accuracy\" : 0.5,\n  \"model_sha256\" : \"ab\"\n}", json);
    }

    @Test
    void provenanceRecordsTheRunOnce() throws IOException {
        Dataset d = Fixture.fashion(5);
        Path model = FixturePaths.fixture("models", "lenet5.fovea");
        Provenance p = Provenance.of("test", 11).withModel(model, "engine").withData(d).withOptions(Map.of("eps", List.of(0.1)))
                .withSeconds("attack", 1.5);
        assertEquals(64, p.modelSha256().length());
        assertEquals(64, p.dataSha256().length());
        assertEquals(dev.fovea.io.Digests.sha256(d.files()), p.dataSha256(), "the data's images file, as sha256sum prints it");
        assertEquals(dev.fovea.io.Digests.labelsSha256(d.files()), p.labelsSha256());
        assertEquals(dev.fovea.io.Digests.subsetSha256(d), p.subsetSha256(), "the five samples used");
        assertEquals(11, p.seed());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        JsonNode j = new ObjectMapper().readTree(Json.bytes(p));
        for (String k : List.of("command", "fovea_version", "java_version", "os", "started", "seed", "model", "model_sha256", "backend", "data",
                "data_sha256", "options", "seconds")) {
            assertTrue(j.has(k), k + " in " + j);
        }
        assertEquals(1.5, j.get("seconds").get("attack").asDouble());
    }

    @Test
    void aReportWritesEverySectionWithTheSharedProvenance() throws IOException {
        Dataset d = Fixture.fashion(6);
        AttackRun.Result attack = AttackRun.of("fgsm", 0, 0.1).run(Fixture.lenet5(), d);
        ExplainRun.Result explain = ExplainRun.of("saliency").run(Fixture.lenet5(), d);
        Provenance p = Provenance.of("test", 0).withModel(FixturePaths.fixture("models", "lenet5.fovea"), "engine").withData(d);
        List<String> files = Report.of(p, new AttackSection(attack, "lenet5.fovea"), new ExplainSection(explain)).write(dir);
        List<String> there = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(f -> f.getFileName().toString()).filter(f -> !f.equals(ResultFolder.MARKER)).forEach(there::add);
        }
        assertEquals(files.stream().sorted().toList(), there.stream().sorted().toList(), "write says what it wrote");
        assertTrue(files.containsAll(List.of("attack.json", "explain.json", "samples.csv", "robustness.png", "grid_eps0.1.png",
                "adversarial_eps0.0.npy", "adversarial_eps0.1.npy", "attributions.npy", "grid.png")), files.toString());
        JsonNode a = new ObjectMapper().readTree(dir.resolve("attack.json").toFile());
        JsonNode e = new ObjectMapper().readTree(dir.resolve("explain.json").toFile());
        assertEquals(a.get("provenance").get("started"), e.get("provenance").get("started"), "one provenance for the report");
        assertTrue(a.get("provenance").get("seconds").has("explain"));
        assertEquals(attack.budgets().get(1).robustAccuracy(), a.get("results").get(1).get("robust_accuracy").asDouble());
        assertFalse(a.get("results").get(0).has("fooled_by"), "no ensemble, no fooled_by");
        assertFalse(a.has("minimal_perturbation"), "no minimum-norm search");
        List<String> csv = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals(1 + 2 * 6, csv.size());
    }

    @Test
    void samplesAreRecordedByClassIndexAndByClassName() throws IOException {
        Dataset d = Fixture.fashion(6);
        AttackRun.Result attack = AttackRun.of("pgd", 0, 0.1).withTarget(new dev.fovea.attacks.Target.RandomClass()).run(Fixture.lenet5(), d);
        ExplainRun.Result explain = ExplainRun.of("saliency").run(Fixture.lenet5(), d);
        Report.of(Provenance.of("test", 0).withData(d), new AttackSection(attack, "lenet5.fovea"), new ExplainSection(explain)).write(dir);
        List<String> names = Fixture.lenet5().classNames();
        List<String> csv = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals(AttackSection.SAMPLES_HEADER, csv.get(0));
        List<String> header = List.of(csv.get(0).split(","));
        int rows = 0;
        for (String line : csv.subList(1, csv.size())) {
            String[] c = line.split(",", -1);
            assertEquals(header.size(), c.length, line);
            for (String k : List.of("label", "clean_pred", "adv_pred", "target")) {
                int i = Integer.parseInt(c[header.indexOf(k)]);
                assertEquals(names.get(i), c[header.indexOf(k + "_name")], k + " by name in " + line);
            }
            rows++;
        }
        assertEquals(2 * 6, rows);
        JsonNode e = new ObjectMapper().readTree(dir.resolve("explain.json").toFile());
        for (JsonNode sample : e.get("samples")) {
            assertEquals(names.get(sample.get("label").asInt()), sample.get("label_name").asText());
            assertEquals(names.get(sample.get("prediction").asInt()), sample.get("prediction_name").asText());
            assertEquals(names.get(sample.get("target").asInt()), sample.get("target_name").asText());
        }
        assertTrue(e.get("maps_shape").isArray(), "maps_shape is an array: " + e.get("maps_shape"));
        assertEquals("[6,1,28,28]", e.get("maps_shape").toString());
    }

    @Test
    void attackJsonRecordsTheStepSizeOfEachBudget() throws IOException {
        Dataset d = Fixture.fashion(4);
        AttackRun plan = AttackRun.of("pgd", 0, 0.05, 0.1);
        AttackRun.Result r = plan.run(Fixture.lenet5(), d);
        Report.of(Provenance.of("test", 0).withData(d).withSelection(4, null).withCommandLine("fovea attack --limit 4"),
                new AttackSection(r, "lenet5.fovea")).write(dir);
        JsonNode a = new ObjectMapper().readTree(dir.resolve("attack.json").toFile());
        assertFalse(a.get("results").get(0).has("step_size"), "no step at budget 0");
        assertEquals(plan.config(0.05).stepSize(), a.get("results").get(1).get("step_size").asDouble());
        assertEquals(plan.config(0.1).stepSize(), a.get("results").get(2).get("step_size").asDouble());
        assertEquals(2.5 * 0.1 / 20, a.get("step_size").asDouble(), 1e-12, "PGD's default, 2.5 eps / 20, at the largest budget");
        assertEquals(4, a.get("limit").asInt());
        assertTrue(a.get("per_class").isNull());
        assertEquals("fovea attack --limit 4", a.get("command_line").asText());
        assertEquals(System.getProperty("java.version"), a.get("java_version").asText());
        AttackRun.Result df = AttackRun.of("deepfool", 0.05).run(Fixture.lenet5(), d);
        assertEquals(null, new AttackSection(df, "lenet5.fovea").budgets().get(0).stepSize(), "DeepFool takes no step of a given size");
        AttackRun cw = AttackRun.of("cw", 0, 1.0).withStepSize(0.01);
        assertEquals(0.01, cw.stepSize(0), "a minimum-norm search takes its steps for every budget");
        assertEquals(0.01, cw.stepSize(1.0));
    }

    @Test
    void csvFieldsAreQuotedWhereTheyHoldACommaAQuoteOrALineBreak() {
        assertEquals("T-shirt/top", Format.csv("T-shirt/top"));
        assertEquals("\"shirt, long\"", Format.csv("shirt, long"));
        assertEquals("\"the \"\"new\"\" one\"", Format.csv("the \"new\" one"));
        assertEquals("\"two\nlines\"", Format.csv("two\nlines"));
    }

    @Test
    void minimalPerturbationsOfAMinimumNormAttack() {
        Dataset d = Fixture.fashion(8);
        AttackSection s = new AttackSection(AttackRun.of("deepfool", 0.05).run(Fixture.lenet5(), d), "lenet5.fovea");
        AttackSection.Minimal m = s.minimal();
        assertEquals(8, m.n());
        assertTrue(m.successRate() > 0.5, "DeepFool fools LeNet-5 on most images: " + m.successRate());
        assertTrue(m.p10() <= m.p50() && (m.p90() == null || m.p50() <= m.p90()));
        assertEquals("minimal_perturbation.png", m.plot());
        assertTrue(s.budgets().get(0).robustAccuracyFromMinimalNorm() != null);
    }

    @Test
    void budgetsAreWrittenAsShortDecimals() {
        assertEquals("0.0", Format.eps(0));
        assertEquals("0.05", Format.eps(0.05));
        assertEquals("1.0", Format.eps(1));
        assertEquals("0.0314", Format.eps(8 / 255.0));
        assertEquals(2.5, Format.roundUp(2.2));
        assertEquals(10, Format.roundUp(8.5));
        assertEquals("inf", Format.fourOrInf(null));
    }

    @Test
    void closeBudgetsGetNamesOfTheirOwnAndUniqueOnesKeepFourDecimals() {
        List<Double> all = List.of(0.0, 0.00196078431372549, 0.002, 8 / 255.0);
        assertEquals("0.00196", Format.eps(0.00196078431372549, all));
        assertEquals("0.002", Format.eps(0.002, all));
        assertEquals("0.0", Format.eps(0.0, all));
        assertEquals("0.0314", Format.eps(8 / 255.0, all), "a budget whose four decimals are its own keeps them");
        assertEquals("0.0314", Format.eps(8 / 255.0, List.of(8 / 255.0)));
        assertEquals("0.10000001", Format.eps(0.10000001, List.of(0.1, 0.10000001)));
        assertEquals("0.1", Format.eps(0.1, List.of(0.1, 0.10000001)));
        double tiny = 1e-20;
        assertTrue(!Format.eps(tiny, List.of(0.0, tiny)).equals(Format.eps(0.0, List.of(0.0, tiny))), "closer than 17 decimals still differ");
    }

    @Test
    void closeBudgetsWriteFilesRowsAndGridsOfTheirOwn() throws IOException {
        Dataset d = Fixture.fashion(4);
        double a = 0.00196078431372549;
        AttackRun.Result r = AttackRun.of("fgsm", a, 0.002).run(Fixture.lenet5(), d);
        AttackSection s = new AttackSection(r, "lenet5.fovea");
        List<String> files = Report.of(Provenance.of("test", 0), s).write(dir);
        assertTrue(files.containsAll(List.of("adversarial_eps0.00196.npy", "adversarial_eps0.002.npy", "grid_eps0.00196.png", "grid_eps0.002.png")),
                files.toString());
        assertEquals(List.of("adversarial_eps0.00196.npy", "adversarial_eps0.002.npy"), s.budgets().stream().map(AttackSection.BudgetJson::adversarial).toList());
        List<String> csv = Files.readAllLines(dir.resolve("samples.csv"));
        assertEquals(4, csv.stream().filter(l -> l.startsWith("0.00196,")).count());
        assertEquals(4, csv.stream().filter(l -> l.startsWith("0.002,")).count());
        assertEquals("0.00196", r.plan().name(a));
    }

    @Test
    void provenanceRecordsWhatTheModelRanWith() throws IOException {
        Provenance p = Provenance.of("test", 0).withModel(FixturePaths.fixture("models", "lenet5.fovea"), Fixture.lenet5());
        assertEquals("engine", p.backend());
        JsonNode setup = new ObjectMapper().readTree(Json.bytes(p)).get("model_setup");
        assertEquals("[1,28,28]", setup.get("input_shape").toString());
        assertEquals(Fixture.lenet5().setup().mean()[0], setup.get("mean").get(0).floatValue());
        assertEquals(Fixture.lenet5().setup().std()[0], setup.get("std").get(0).floatValue());
        assertEquals(10, setup.get("classes").asInt());
        for (String k : List.of("input_shape_from", "mean_from", "std_from", "class_names_from")) {
            assertEquals("model", setup.get(k).asText(), k);
        }
        assertFalse(new ObjectMapper().readTree(Json.bytes(Provenance.of("test", 0))).has("model_setup"), "none before a model is known");
    }
}
