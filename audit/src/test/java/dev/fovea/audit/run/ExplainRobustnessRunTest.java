package dev.fovea.audit.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.audit.Fixture;
import dev.fovea.audit.report.ExplainRobustnessSection;
import dev.fovea.audit.report.Json;
import dev.fovea.audit.report.Provenance;
import dev.fovea.audit.report.Report;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionOptions;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.Explainers;
import dev.fovea.explain.Superpixels;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Explanation robustness on the bundled LeNet-5: a small PGD budget, random sign noise, a corruption, and budgets that cannot be measured. */
class ExplainRobustnessRunTest {
    @TempDir
    Path dir;

    static final List<Attribution> METHODS = List.of(Explainers.named("saliency"), Explainers.named("feature-ablation"));
    static final List<ExplainConfig> CONFIGS = List.of(ExplainConfig.of(AttributionOptions.NONE),
            ExplainConfig.of(Superpixels.Options.DEFAULTS.withGrid(4)));

    @Test
    void aSmallPgdBudgetMovesTheMapsLessThanRandomImagesWould() throws IOException {
        Classifier m = Fixture.lenet5();
        Tensor x = Fixture.fashion(12).images();
        ExplainRobustnessRun plan = new ExplainRobustnessRun(METHODS, CONFIGS, ExplainRobustnessRun.Perturbation.attack("pgd", 0.01), 0.1, 0);
        ExplainRobustnessRun.Result r = plan.run(m, x);
        assertTrue(r.linf() <= 0.01 + 1e-6 && r.linf() > 0.005, "inside the ball: " + r.linf());
        assertTrue(r.fragility().keptCount() >= 6, "most predictions kept at eps 0.01: " + r.fragility().keptCount());
        for (int j = 0; j < 2; j++) {
            double rho = r.fragility().spearman()[j][firstKept(r)];
            assertTrue(rho > 0.3 && rho < 1, METHODS.get(j).name() + ": the map moved but stayed alike, rank " + rho);
        }
        Path out = dir.resolve("pgd");
        Report.of(Provenance.of("explain robustness", 0).withOptions(plan.options()), new ExplainRobustnessSection(r)).write(out);
        JsonNode j = Json.MAPPER.readTree(out.resolve("robustness.json").toFile());
        assertEquals("pgd eps 0.01", j.get("perturbation").asText());
        assertEquals(78, j.get("k").asInt());
        assertEquals("saliency", j.get("methods").get(0).get("method").asText());
        assertEquals("grid", j.get("methods").get(1).get("options").get("segmentation").asText());
        assertEquals(r.fragility().keptCount(), j.get("kept").asInt());
        assertTrue(Files.size(out.resolve("robustness.png")) > 1000);
        assertEquals(1 + 2 * 12, Files.readAllLines(out.resolve("robustness.csv")).size());
    }

    private static int firstKept(ExplainRobustnessRun.Result r) {
        for (int i = 0; i < r.size(); i++) {
            if (r.fragility().kept()[i]) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void noiseAndCorruptionsArePerturbationsToo() {
        Classifier m = Fixture.lenet5();
        Tensor x = Fixture.fashion(6).images();
        var noise = new ExplainRobustnessRun(METHODS, CONFIGS, ExplainRobustnessRun.Perturbation.noise(0.01), 0.1, 3).run(m, x);
        assertEquals(0.01, noise.linf(), 1e-6);
        var again = new ExplainRobustnessRun(METHODS, CONFIGS, ExplainRobustnessRun.Perturbation.noise(0.01), 0.1, 3).run(m, x);
        assertEquals(noise.fragility().spearman()[0][0], again.fragility().spearman()[0][0], "same seed, same numbers");
        var blur = new ExplainRobustnessRun(METHODS.subList(0, 1), CONFIGS.subList(0, 1),
                ExplainRobustnessRun.Perturbation.corruption("gaussian-noise", 1), 0.1, 3).run(m, x);
        assertTrue(blur.fragility().keptCount() > 0 && blur.linf() > 0);
    }

    @Test
    void impossibleBudgetsAreRefusedWithTheOptionNamed() {
        assertEquals("eps", assertThrows(InvalidOptionException.class, () -> ExplainRobustnessRun.Perturbation.attack("pgd", 0)).option());
        assertEquals("eps must be in (0,1] (L-inf, pixel units), got 1.5",
                assertThrows(InvalidOptionException.class, () -> ExplainRobustnessRun.Perturbation.noise(1.5)).getMessage());
        assertEquals("severity", assertThrows(InvalidOptionException.class,
                () -> ExplainRobustnessRun.Perturbation.corruption("gaussian-noise", 6)).option());
        assertThrows(IllegalArgumentException.class, () -> ExplainRobustnessRun.Perturbation.attack("no-such-attack", 0.1));
        assertEquals("topFraction", assertThrows(InvalidOptionException.class,
                () -> new ExplainRobustnessRun(METHODS, CONFIGS, ExplainRobustnessRun.Perturbation.noise(0.1), 0, 0)).option());
        Classifier m = Fixture.lenet5();
        Tensor x = Fixture.fashion(4).images();
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new ExplainRobustnessRun(METHODS, CONFIGS,
                ExplainRobustnessRun.Perturbation.attack("pgd", 0.5), 0.1, 0).run(m, x));
        assertEquals("eps", e.option());
        assertTrue(e.getMessage().contains("changes the prediction of every one of the 4 images"), e.getMessage());
    }
}
