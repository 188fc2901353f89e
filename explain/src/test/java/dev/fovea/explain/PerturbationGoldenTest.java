package dev.fovea.explain;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import dev.fovea.explain.segment.Segments;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Feature ablation, KernelSHAP and LIME against the numpy/PyTorch values of {@code fixtures/golden/explain-perturbation}
 * (made by {@code fixtures/make_perturbation_golden.py}) on the golden LeNet-5 and its first 4 images, with the
 * script's coalitions for the sampled methods: {@code max|A - G| <= 1e-3 max|G| + 1e-6}.
 */
class PerturbationGoldenTest {
    static final Path DIR = FixturePaths.fixture("golden", "explain-perturbation", "lenet5");

    static ExplainGoldenTest.Golden golden() throws IOException {
        ExplainGoldenTest.Golden g = ExplainGoldenTest.load("lenet5");
        int[] y = java.util.Arrays.copyOf(g.y(), 4);
        return new ExplainGoldenTest.Golden(g.model(), g.x().slice(0, 4), y, DIR);
    }

    /** The script's coalitions {@code [N,R,F]} for sample {@code i}, the first {@code features} columns. */
    static Coalitions fromFile(String file) throws IOException {
        NpyArray z = Npy.read(DIR.resolve(file));
        int rows = z.shape()[1];
        int width = z.shape()[2];
        return (i, features, r) -> {
            boolean[][] out = new boolean[rows][features];
            for (int a = 0; a < rows; a++) {
                for (int k = 0; k < features; k++) {
                    out[a][k] = z.longs()[(i * rows + a) * width + k] != 0;
                }
            }
            return out;
        };
    }

    @Test
    void featureAblationMatchesOnTheGridAndOnScikitImagesSlic() throws IOException {
        ExplainGoldenTest.Golden g = golden();
        Superpixels.Options grid = Superpixels.Options.DEFAULTS.withGrid(7);
        Superpixels.Options slic = Superpixels.Options.DEFAULTS.withSlic(25, 0.1);
        NpyArray labels = Npy.read(DIR.resolve("segments_slic.npy"));
        for (int i = 0; i < 4; i++) {
            Segments s = slic.segment(g.x(), i);
            int[] want = new int[784];
            for (int p = 0; p < 784; p++) {
                want[p] = (int) labels.longs()[i * 784 + p];
            }
            assertArrayEquals(want, s.labels(), "SLIC of image " + i);
        }
        ExplainConfig cfg = ExplainConfig.of(grid).withBatchSize(5);
        ExplainGoldenTest.assertClose(g.npy("ablation_grid.npy"), ExplainGoldenTest.run(g, "feature-ablation", cfg).maps(), "ablation, grid");
        ExplainGoldenTest.assertClose(g.npy("ablation_slic.npy"), ExplainGoldenTest.run(g, "feature-ablation", cfg.withOptions(slic)).maps(),
                "ablation, slic");
    }

    @Test
    void kernelShapMatchesOnTheScriptsCoalitions() throws IOException {
        ExplainGoldenTest.Golden g = golden();
        KernelShap.Options o = KernelShap.Options.DEFAULTS.withSuperpixels(Superpixels.Options.DEFAULTS.withGrid(7)).withSamples(40);
        AttributionResult r = new KernelShap().compute(g.model(), g.x(), g.y(), ExplainConfig.of(o).withBatchSize(7),
                fromFile("coalitions_kernel_shap.npy"));
        ExplainGoldenTest.assertClose(g.npy("kernel_shap_grid.npy"), r.maps(), "kernel-shap");
    }

    @Test
    void limeMatchesWithTheLassoAndTheRidge() throws IOException {
        ExplainGoldenTest.Golden g = golden();
        Lime.Options o = Lime.Options.DEFAULTS.withSuperpixels(Superpixels.Options.DEFAULTS.withGrid(7)).withSamples(60);
        Coalitions z = fromFile("coalitions_lime.npy");
        Tensor lasso = new Lime().compute(g.model(), g.x(), g.y(), ExplainConfig.of(o), z).maps();
        ExplainGoldenTest.assertClose(g.npy("lime_grid_lasso.npy"), lasso, "lime, lasso");
        Tensor ridge = new Lime().compute(g.model(), g.x(), g.y(), ExplainConfig.of(o.withSurrogate(Lime.Surrogate.RIDGE, 1.0)), z).maps();
        ExplainGoldenTest.assertClose(g.npy("lime_grid_ridge.npy"), ridge, "lime, ridge");
    }
}
