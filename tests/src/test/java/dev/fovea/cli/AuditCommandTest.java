package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fovea.data.FixturePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea audit} end to end on the fixtures, with a small plan ({@code audit/small-plan.json}: 40 images, a few
 * steps) so that each run takes seconds: the page and report.json (valid against docs/report-schema.json, every
 * section present), the gates, {@code --sections}, the same seed giving the same report, and bad input.
 */
class AuditCommandTest {
    static final Path PLAN = FixturePaths.root().resolve("tests/src/test/resources/audit/small-plan.json");
    static final Path YAML_PLAN = FixturePaths.root().resolve("tests/src/test/resources/audit/sanity-plan.yaml");
    static final String MODEL = FixturePaths.fixture("models", "convnet.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    static final List<String> SECTIONS = List.of("model", "robustness", "corruptions", "attributions", "learned");

    @TempDir
    Path dir;

    static CliRun audit(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("audit", "--plan", PLAN.toString(), "-q", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    static JsonNode report(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("report.json").toFile());
    }

    /** The schema's errors for {@code out}'s report.json (none when it validates). */
    static List<Error> schemaErrors(Path out) throws IOException {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(FixturePaths.root().resolve("docs/report-schema.json")), InputFormat.JSON);
        return schema.validate(Files.readString(out.resolve("report.json")), InputFormat.JSON);
    }

    @Test
    void theDefaultAuditWritesAPageAndAReportThatValidatesWithEverySection() throws IOException {
        Path out = dir.resolve("a");
        CliRun r = audit(out);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("profile quick: 40 images"), r.out());
        assertTrue(r.out().contains("attack deepfool-l2: eps 0.0, 0.5, 1.0; first 10 images"), "every choice printed: " + r.out());
        assertTrue(r.out().contains("fixtures/models/convnet.fovea"), "the bundled model: " + r.out());
        assertEquals(List.of(), schemaErrors(out));
        JsonNode j = report(out);
        assertEquals(SECTIONS, names(j.get("sections")));
        assertEquals(40, j.at("/sections/model/images").asInt());
        assertTrue(j.at("/verdict/sentence").asText().contains("of the correctly classified test images can be flipped"), j.at("/verdict").toString());
        assertTrue(j.at("/verdict/sentence").asText().contains("under the 15 common corruptions accuracy falls from"), j.at("/verdict").toString());
        assertEquals(10, j.at("/sections/corruptions/images").asInt());
        assertEquals(18, j.at("/sections/corruptions/corruptions").size(), "the 19 but saturate, which needs colour");
        assertEquals(List.of("saturate"), new ObjectMapper().convertValue(j.at("/sections/corruptions/skipped"), List.class));
        assertTrue(Files.exists(out.resolve("corruptions/augment.csv")) && Files.exists(out.resolve("corruptions/worst/examples_0.png")));
        assertEquals("quick", j.at("/plan/profile").asText());
        assertTrue(j.at("/plan/attacks/0/eps").toString().contains("0.1"), "the verdict's budget is among PGD's: " + j.at("/plan/attacks/0"));
        assertEquals(SECTIONS, names(j.at("/manifest/provenance/seconds")));
        String html = Files.readString(out.resolve("index.html"));
        for (String s : SECTIONS) {
            assertTrue(html.contains("<section id=\"" + s + "\">"), s);
            assertTrue(Files.isDirectory(out.resolve(s)), s);
        }
        assertTrue(html.contains("id=\"verdict\"") && html.contains("id=\"manifest\""));
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no external URL");
        assertFalse(html.contains("src=\"robustness/"), "images are inline");
        assertTrue(html.split("src=\"data:image/png;base64,", -1).length - 1 >= 9, "the charts and grids are inline");
        assertTrue(html.contains("Gradient masking") && html.contains("Minimal perturbations") && html.contains("Adversarial examples"), "every part of the robustness section");
        assertTrue(Files.exists(out.resolve("robustness/pgd-linf/samples.csv")));
        assertTrue(Files.exists(out.resolve("model/confusion.csv")));
    }

    @Test
    void gatesPassFailAndAreListedOnStderrAndInTheReport() throws IOException {
        Path ok = dir.resolve("ok");
        CliRun pass = audit(ok, "--fail-under", "clean=0.5,pgd-linf@0.03=0,worst-linf@0.05=0,sanity=pass,mce=1");
        JsonNode j = report(ok);
        for (JsonNode g : j.at("/verdict/gates")) {
            double v = g.get("value").asDouble();
            String cmp = g.get("comparison").asText();
            boolean expected = cmp.equals("=") ? v == 1 : cmp.equals("<=") ? v <= g.get("threshold").asDouble() : v >= g.get("threshold").asDouble();
            assertEquals(expected, g.get("pass").asBoolean(), g.toString());
            assertTrue(pass.err().contains("audit: gate " + g.get("rule").asText() + ": measured " + g.get("measured").asText()), pass.toString());
        }
        assertEquals(5, j.at("/verdict/gates").size());
        assertEquals(j.at("/sections/corruptions/mce").asDouble(), j.at("/verdict/gates/4/value").asDouble(), "the mce gate reads the section's mce");
        assertTrue(j.at("/plan/attacks/0/eps").toString().contains("0.03"), "the gate's budget was added to PGD's: " + j.at("/plan/attacks/0"));
        boolean all = j.at("/verdict/gates_passed").asBoolean();
        assertEquals(all ? 0 : 4, pass.code(), pass.toString());
        assertTrue(j.at("/verdict/gates/0/pass").asBoolean() && j.at("/verdict/gates/1/pass").asBoolean(), j.at("/verdict/gates").toString());

        Path bad = dir.resolve("bad");
        CliRun fail = audit(bad, "--sections", "model,robustness,corruptions", "--fail-under", "clean=0.999,pgd-linf@0.1=1,worst-l2@1.0=1,mce=0");
        assertEquals(Cli.GATE, fail.code(), fail.toString());
        assertEquals(4, fail.err().lines().filter(l -> l.endsWith(": FAIL")).count(), fail.toString());
        assertTrue(fail.err().contains("audit: gate clean=0.999: measured 0.9"), fail.toString());
        assertEquals(List.of(), schemaErrors(bad), "a failing gate still writes the whole report");
        String html = Files.readString(bad.resolve("index.html"));
        assertTrue(html.contains("<code>pgd-linf@0.1") && html.contains("<span class=\"badge fail\">fail</span>"), "the gates' badges");
        JsonNode b = report(bad);
        assertFalse(b.at("/verdict/gates_passed").asBoolean());
        assertEquals(b.at("/measured/clean").asDouble(), b.at("/verdict/gates/0/value").asDouble());
    }

    @Test
    void theSanityGateFailsWhenAMethodFailsTheCheckAndAYamlPlanIsRead() throws IOException {
        Path out = dir.resolve("s");
        CliRun r = CliRun.of("audit", "--plan", YAML_PLAN.toString(), "--sections", "attributions", "--fail-under", "sanity=pass", "-q",
                "--out", out.toString());
        JsonNode j = report(out);
        assertEquals(12, j.at("/plan/images").asInt(), "the YAML plan's images");
        assertEquals(List.of("attributions"), names(j.get("sections")));
        boolean passed = j.at("/sections/attributions/sanity/passed").asBoolean();
        assertEquals(passed ? 0.0 : 1.0, j.at("/measured/sanity").asDouble() == 1 ? 0.0 : 1.0);
        assertEquals(passed ? 0 : Cli.GATE, r.code(), r.toString());
        for (JsonNode m : j.at("/sections/attributions/sanity/methods")) {
            assertEquals(m.get("final_spearman_abs").asDouble() < 0.5 ? "pass" : "fail", m.get("verdict").asText(), m.toString());
        }
    }

    @Test
    void sectionsRunsOnlyThoseAsked() throws IOException {
        Path out = dir.resolve("m");
        CliRun r = audit(out, "--sections", "learned,model");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = report(out);
        assertEquals(List.of("model", "learned"), names(j.get("sections")), "in page order");
        assertEquals(List.of(), schemaErrors(out));
        String html = Files.readString(out.resolve("index.html"));
        assertFalse(html.contains("<section id=\"robustness\">"));
        assertFalse(r.out().contains("adversarial robustness"), r.out());
        assertTrue(Files.notExists(out.resolve("robustness")));
    }

    @Test
    void theSameSeedGivesTheSameReportApartFromTimes() throws IOException {
        // the same command line twice (the output folder is part of it, and recorded): the second run replaces the first
        Path a = dir.resolve("one");
        assertEquals(0, audit(a, "--seed", "7", "--sections", "robustness,attributions").code());
        JsonNode ja = untimed(report(a));
        assertEquals(0, audit(a, "--seed", "7", "--sections", "robustness,attributions").code());
        JsonNode jb = untimed(report(a));
        assertEquals(ja, jb);
        assertEquals(7, ja.at("/plan/seed").asInt());
    }

    @Test
    void badGatesAndPlansAreUsageErrorsBeforeAnyWork() throws IOException {
        Path plan = dir.resolve("typo.json");
        Files.writeString(plan, "{\"imagess\": 10}");
        Map<String[], String> cases = Map.of(
                new String[] {"--fail-under", "accuracy=0.9"}, "--fail-under: unknown metric 'accuracy'",
                new String[] {"--fail-under", "clean>0.9"}, "expected METRIC=VALUE",
                new String[] {"--fail-under", "clean=1.5"}, "expected a value in [0,1]",
                new String[] {"--fail-under", "pgdx-linf@0.03=0.5"}, "unknown attack 'pgdx'",
                new String[] {"--fail-under", "cw-l2@0.5=0.5"}, "the plan runs no cw-l2 attack",
                new String[] {"--fail-under", "mce=0.25", "--sections", "model"}, "measured by the corruptions section, which --sections leaves out",
                new String[] {"--fail-under", "sanity=pass", "--sections", "model"}, "which --sections leaves out",
                new String[] {"--sections", "model,colours"}, "unknown section 'colours'",
                new String[] {"--plan", plan.toString()}, "unknown field 'imagess'");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            Path out = dir.resolve("never");
            List<String> args = new ArrayList<>(List.of("audit", "-q", "--out", out.toString()));
            if (!List.of(c.getKey()).contains("--plan")) {
                args.addAll(List.of("--plan", PLAN.toString()));
            }
            args.addAll(List.of(c.getKey()));
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(Cli.USAGE, r.code(), r.toString());
            assertEquals(1, r.errLines(), r.toString());
            assertTrue(r.err().contains(c.getValue()), c.getValue() + ": " + r);
            assertTrue(Files.notExists(out), "nothing written: " + r);
            assertFalse(r.out().contains("[1/"), "no section ran: " + r);
        }
    }

    @Test
    void badOutputsAndAModelFailingMidWayLeaveNoReport() throws IOException {
        Path file = dir.resolve("file.txt");
        Files.writeString(file, "mine");
        CliRun f = audit(file);
        assertEquals(Cli.INPUT, f.code(), f.toString());
        assertEquals(1, f.errLines(), f.toString());
        assertTrue(f.err().contains(file + ": is a file, not a folder"), f.toString());
        assertEquals("mine", Files.readString(file));

        CliRun proc = audit(Path.of("/proc/fovea-audit-test"));
        assertTrue(proc.code() == Cli.INPUT || proc.code() == Cli.USAGE, proc.toString());
        assertEquals(1, proc.errLines(), proc.toString());
        assertTrue(proc.err().contains("/proc/fovea-audit-test"), proc.toString());

        // logits without a gradient: the model card and clean accuracy work, the first attack fails
        Path out = dir.resolve("mid");
        CliRun mid = CliRun.of("audit", "-m", FixturePaths.fixture("hostile", "detached.pt").toString(), "--data", DATA, "--plan", PLAN.toString(),
                "-q", "--out", out.toString());
        assertEquals(Cli.INPUT, mid.code(), mid.toString());
        assertEquals(1, mid.errLines(), mid.toString());
        assertTrue(mid.out().contains("[2/5] adversarial robustness"), "failed mid-way: " + mid);
        assertTrue(Files.notExists(out), "no half-written report");
        try (var s = Files.list(dir)) {
            assertEquals(Set.of("file.txt"), Set.copyOf(s.map(p -> p.getFileName().toString()).toList()), "no temporary folder left");
        }
    }

    @Test
    void aTorchScriptModelTrainedElsewhereIsAuditedWithItsSidecarAlone() throws IOException {
        Path out = dir.resolve("ts");
        String cifar = FixturePaths.shared("data", "cifar10-test-jpg").toString();
        CliRun r = CliRun.of("audit", "-m", FixturePaths.fixture("models", "cifar10-resnet20.pt").toString(), "--data", cifar, "--per-class", "1",
                "--plan", FixturePaths.root().resolve("tests/src/test/resources/audit/torchscript-plan.json").toString(), "-q", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode j = report(out);
        assertEquals(List.of(), schemaErrors(out));
        assertEquals("torchscript", j.at("/sections/model/format").asText());
        assertEquals(10, j.at("/sections/model/images").asInt());
        assertTrue(j.at("/sections/attributions/sanity").isNull(), "the randomisation check needs a .fovea model");
        assertTrue(r.out().contains("note: randomisation check not run"), r.out());
        assertTrue(r.out().contains("note: filters not shown"), r.out());
        assertTrue(r.out().contains("note: deep-lift not run: it needs per-layer backward rules"), "a method the backend cannot run is left out: " + r.out());
        assertNotNull(j.at("/sections/robustness/verdict/eps"));
        assertEquals(8 / 255.0, j.at("/plan/verdict_eps").asDouble(), 1e-12, "CIFAR-10's threat model");
        assertEquals(5, j.at("/sections/corruptions/corruptions").size(), "colour corruptions run on colour input");
        assertTrue(j.at("/sections/corruptions/verdict").isMissingNode());
        assertTrue(j.at("/verdict/sentence").asText().contains("under the 4 common corruptions accuracy falls from"), j.at("/verdict").toString());
        assertTrue(Files.readString(out.resolve("index.html")).contains("none: every image was already 32x32 (resize mode center-crop)"),
                "the page says how the photos were fitted to the model's input");
    }

    static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** {@code j} without the fields that hold times. */
    static JsonNode untimed(JsonNode j) {
        JsonNode c = j.deepCopy();
        strip(c);
        return c;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.equals("seconds") || k.equals("total_seconds") || k.equals("started")) {
                    it.remove();
                } else {
                    strip(o.get(k));
                }
            }
        } else if (n != null && n.isArray()) {
            n.forEach(AuditCommandTest::strip);
        }
    }
}
