package dev.fovea.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code augment.json}, {@code augment.csv} and the pictures of a small corruption run, and reading a report back as a reference. */
class AugmentSectionTest {
    static CorruptionRun.Result result;

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void run() throws IOException {
        result = CorruptionRun.of(CorruptionRun.select("gaussian-noise,brightness")).withSeverities(List.of(1, 5)).withExamples(2)
                .run(Fixture.lenet5(), Fixture.fashion(24));
        out = dir.resolve("report");
        Report.of(Provenance.of("augment", 0).withData(Fixture.fashion(24)), new AugmentSection(result, "lenet5.fovea")).write(out);
    }

    @Test
    void jsonHoldsEveryNumberAndItsProvenance() throws IOException {
        JsonNode j = Json.MAPPER.readTree(out.resolve("augment.json").toFile());
        assertEquals(24, j.get("n").asInt());
        assertEquals(List.of(1, 28, 28), List.of(j.get("image_shape").get(0).asInt(), j.get("image_shape").get(1).asInt(), j.get("image_shape").get(2).asInt()));
        assertEquals(result.cleanAccuracy(), j.get("clean_accuracy").asDouble(), 0.0);
        assertEquals(2, j.get("corruptions").size());
        JsonNode noise = j.get("corruptions").get(0);
        assertEquals("gaussian-noise", noise.get("name").asText());
        assertEquals("noise", noise.get("family").asText());
        assertEquals("benchmark", noise.get("suite").asText());
        assertEquals("sigma=0.1", noise.get("severities").get(1).get("parameters").asText());
        CorruptionRun.Cell c = result.of("gaussian-noise").cells().get(1);
        JsonNode s5 = noise.get("severities").get(1);
        assertEquals(5, s5.get("severity").asInt());
        assertEquals(c.accuracy(), s5.get("accuracy").asDouble(), 0.0);
        assertEquals(c.flipRate(), s5.get("flip_rate").asDouble(), 0.0);
        assertEquals(c.trueClassProbabilityChange(), s5.get("true_class_probability_change").asDouble(), 0.0);
        assertEquals(result.benchmark().meanError(), j.get("benchmark").get("mean_error").asDouble(), 0.0);
        assertFalse(j.get("benchmark").has("mce_ignored"));
        assertTrue(j.get("extra").get("corruptions").isEmpty());
        assertEquals(2, j.get("worst").size());
        assertEquals(result.worst().get(0).corruption(), j.get("worst").get(0).get("corruption").asText());
        assertTrue(j.get("timing").get("images_per_second").asDouble() > 0);
        assertEquals("augment", j.get("provenance").get("command").asText());
        assertTrue(j.get("provenance").get("seconds").has("augment"));
        for (JsonNode f : j.get("files")) {
            assertTrue(Files.size(out.resolve(f.asText())) > 500, f.asText());
        }
    }

    @Test
    void csvIsTidy() throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("augment.csv"));
        assertEquals(AugmentSection.CSV_HEADER, lines.get(0));
        assertEquals(1 + 2 + 2 * 2 * 4, lines.size());
        assertEquals("clean,,,0,accuracy," + result.cleanAccuracy(), lines.get(1));
        CorruptionRun.Cell c = result.of("brightness").cells().get(0);
        assertTrue(lines.contains("brightness,digital,benchmark,1,flip_rate," + c.flipRate()), lines.toString());
        for (String l : lines) {
            assertEquals(6, l.split(",", -1).length, l);
        }
        assertEquals("\"a,b\"", AugmentSection.cell("a,b"));
    }

    @Test
    void aReportReadsBackAsAReference() throws IOException {
        CorruptionRun.Reference r = AugmentSection.reference(out.resolve("augment.json"));
        assertEquals(result.cleanError(), r.cleanError(), 0.0);
        assertEquals(Map.of(1, result.of("brightness").cells().get(0).error(), 5, result.of("brightness").cells().get(1).error()),
                r.errors().get("brightness"));
    }

    @Test
    void aMalformedReferenceNamesTheFile() throws IOException {
        String[] bad = {"{", "[]", "{\"clean_error\": 0.1}", "{\"clean_error\": 2, \"corruptions\": []}",
                "{\"clean_error\": 0.1, \"corruptions\": [{\"name\": \"x\", \"severities\": [{\"severity\": 9, \"error\": 0.1}]}]}",
                "{\"clean_error\": 0.1, \"corruptions\": [{\"name\": \"x\", \"severities\": [{\"severity\": 1, \"error\": \"high\"}]}]}"};
        for (int i = 0; i < bad.length; i++) {
            Path f = dir.resolve("bad" + i + ".json");
            Files.writeString(f, bad[i]);
            IOException e = assertThrows(IOException.class, () -> AugmentSection.reference(f), bad[i]);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void exportWritesWhatTheRunClassified() throws IOException {
        Path npy = dir.resolve("export");
        Files.createDirectories(npy);
        CorruptionRun plan = result.plan();
        var m = CorruptionExport.write(npy, plan, Fixture.fashion(24).images(), Fixture.fashion(24).labels(), result.classNames(),
                CorruptionExport.Layout.NPY, null, dev.fovea.audit.ProgressListener.NONE);
        assertEquals(4, m.files().size());
        Tensor t = dev.fovea.data.Npy.readImages(npy.resolve("gaussian-noise_s5.npy"));
        assertEquals(List.of(24, 1, 28, 28), java.util.Arrays.stream(t.shape().dims()).boxed().toList());
        float[] kept = result.of("gaussian-noise").cells().get(1).examples().data();
        assertEquals(kept[100], t.data()[100], 0f);
        assertEquals("T-shirt_top", CorruptionExport.folderName("T-shirt/top"));
    }
}
