package dev.fovea.attacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FAB against the straightforward float64 implementation of {@code fixtures/make_fab_golden.py}: the projection onto
 * a hyperplane within the box (fovea sorts the breakpoints, the script bisects), and FAB and FAB-T on the bundled
 * LeNet-5, whose minimal norms must agree within the manifest's tolerance.
 */
class FabGoldenTest {
    private static final Path DIR = FixturePaths.fixture("golden", "fab-lenet5");

    static JsonNode manifest() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
    }

    @Test
    void projectionsMatchTheBisection() throws IOException {
        float[] pts = Npy.read(DIR.resolve("proj_points.npy")).floats();
        float[] w = Npy.read(DIR.resolve("proj_w.npy")).floats();
        float[] b = Npy.read(DIR.resolve("proj_b.npy")).floats();
        int m = b.length;
        int d = pts.length / m;
        for (Map.Entry<Norm, String> e : Map.of(Norm.L2, "proj_l2.npy", Norm.LINF, "proj_linf.npy").entrySet()) {
            float[] gold = Npy.read(DIR.resolve(e.getValue())).floats();
            for (int i = 0; i < m; i++) {
                double[] wi = new double[d];
                for (int j = 0; j < d; j++) {
                    wi[j] = w[i * d + j];
                }
                double[] got = Fab.project(pts, i * d, wi, b[i], e.getKey(), new float[] {0f, 1f});
                for (int j = 0; j < d; j++) {
                    assertEquals(gold[i * d + j], got[j], 1e-6 * Math.max(1, Math.abs(gold[i * d + j])), e.getKey() + " case " + i + " coordinate " + j);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"fab, linf", "fab, l2", "fab-t, linf", "fab-t, l2"})
    void minimalNormsMatchPyTorch(String attack, String norm) throws IOException {
        JsonNode man = manifest();
        double tol = man.get("tolerance").asDouble();
        Tensor x = Npy.read(DIR.resolve("x.npy")).toTensor();
        int[] y = Npy.readLabels(DIR.resolve("y.npy"));
        float[] gold = Npy.read(DIR.resolve(attack + "-" + norm + "_norm.npy")).floats();
        Attack a = Attacks.named(attack);
        Norm n = Norm.parse(norm);
        AttackConfig cfg = a.defaults(n, n == Norm.L2 ? 28 : 1).withSteps(man.get("steps").asInt());
        Tensor before = x.copy();
        AttackResult r = a.run(Fixtures.lenet5(16), x, y, cfg);
        assertArrayEquals(before.data(), x.data(), "input untouched");
        for (int i = 0; i < y.length; i++) {
            double g = gold[i];
            double got = r.minimalNorm()[i];
            System.out.printf("%s %s sample %d: fovea %.6f, golden %.6f%n", attack, norm, i, got, g);
            if (Double.isInfinite(g)) {
                assertTrue(Double.isInfinite(got), attack + " sample " + i + ": found " + got + " where the golden run found none");
            } else {
                assertEquals(g, got, tol * Math.max(1, g), attack + " " + norm + " sample " + i);
            }
        }
    }
}
