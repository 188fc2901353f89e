package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it must catch wrong gradients and say where, and leave its inputs alone. */
class GradCheckTest {
    /**
     * {@code y = w * x} element-wise for a learned scalar {@code w}, with configurable mistakes in backward:
     * scaling the input gradient, dropping the parameter gradient, or breaking one entry.
     */
    private static final class Scale extends Layer {
        private final Param w = new Param("weight", Tensor.of(new float[] {1.5f}, 1));
        private final float inputGradFactor;
        private final boolean accumulateWeightGrad;
        private final int brokenEntry;
        private Tensor x;

        Scale(float inputGradFactor, boolean accumulateWeightGrad, int brokenEntry) {
            this.inputGradFactor = inputGradFactor;
            this.accumulateWeightGrad = accumulateWeightGrad;
            this.brokenEntry = brokenEntry;
        }

        @Override
        public String type() {
            return "scale";
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public Tensor forward(Tensor in, boolean training) {
            x = in;
            float[] y = new float[in.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = w.value().data()[0] * in.data()[i];
            }
            return new Tensor(in.shape(), y);
        }

        @Override
        public Tensor backward(Tensor g) {
            float[] dx = new float[g.size()];
            double dw = 0;
            for (int i = 0; i < dx.length; i++) {
                dx[i] = inputGradFactor * w.value().data()[0] * g.data()[i];
                dw += (double) g.data()[i] * x.data()[i];
            }
            if (brokenEntry >= 0) {
                dx[brokenEntry] += 0.5f;
            }
            if (accumulateWeightGrad) {
                w.grad().data()[0] += (float) dw;
            }
            return new Tensor(g.shape(), dx);
        }

        @Override
        public List<Param> params() {
            return List.of(w);
        }
    }

    /** Subtracts the batch mean of each feature but, like a batch norm that forgets its statistics, backward passes g through. */
    private static final class CenterIgnoringMean extends Layer {
        @Override
        public String type() {
            return "center";
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            int n = x.dim(0), f = x.dim(1);
            float[] y = x.data().clone();
            for (int j = 0; j < f; j++) {
                double m = 0;
                for (int i = 0; i < n; i++) {
                    m += x.data()[i * f + j];
                }
                for (int i = 0; i < n; i++) {
                    y[i * f + j] -= (float) (m / n);
                }
            }
            return new Tensor(x.shape(), y);
        }

        @Override
        public Tensor backward(Tensor g) {
            return new Tensor(g.shape(), g.data().clone());
        }
    }

    private static final Tensor X = GradCheck.uniform(Shape.of(2, 3, 4), -1, 1, 3);

    @Test
    void correctLayerPassesAndLeavesInputAlone() {
        Tensor x = X.copy();
        List<GradCheck.Result> r = GradCheck.of(new Scale(1f, true, -1)).step(0.5).tolerance(1e-5).assertAll(x);
        assertArrayEquals(X.data(), x.data(), "the checked input must not change");
        assertEquals(2, r.size());
        assertEquals(24, r.get(0).checked());
        assertTrue(r.get(0).maxRelError() < 1e-5 && r.get(1).maxRelError() < 1e-5, r.toString());
    }

    @Test
    void wrongInputGradientFailsNamingLayerAndIndex() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.of(new Scale(1f, true, 13)).assertInput(X));
        String m = e.getMessage();
        assertTrue(m.contains("scale: input [2,3,4] at [1, 0, 1] (flat 13)"), m);
    }

    @Test
    void uniformlyScaledInputGradientIsCaught() {
        GradCheck.Result r = GradCheck.input(new Scale(1.05f, true, -1), X, false, 7);
        assertTrue(r.maxRelError() > 0.02 && r.maxRelError() < 0.03, r.describe());
    }

    @Test
    void missingParameterGradientFailsNamingTheParameter() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.of(new Scale(1f, false, -1)).assertParams(X));
        assertTrue(e.getMessage().contains("scale: weight [1] at [0]"), e.getMessage());
    }

    @Test
    void parametersInsideContainersAreNamedByPath() {
        Sequential net = new Sequential(List.of(new Scale(1f, true, -1), new Sequential(List.of(new Scale(1f, false, -1)))));
        List<GradCheck.Result> r = GradCheck.params(net, X, false, 5);
        assertEquals(List.of("sequential: 0.weight", "sequential: 1.0.weight"), r.stream().map(GradCheck.Result::what).toList());
        assertTrue(r.get(0).maxRelError() < 1e-2, r.get(0).describe());
        assertTrue(r.get(1).maxRelError() > 0.9, "the inner layer forgets its weight gradient: " + r.get(1).describe());
    }

    /** The numeric gradient sees the batch statistics, so a backward that ignores them is caught. */
    @Test
    void ignoredBatchDependenceIsCaught() {
        GradCheck.Result r = GradCheck.input(new CenterIgnoringMean(), GradCheck.uniform(Shape.of(4, 3), -1, 1, 9), true, 11);
        assertTrue(r.maxRelError() > 0.1, r.describe());
    }

    @Test
    void sampledEntriesAreASubset() {
        GradCheck.Result r = GradCheck.of(new Scale(1f, true, -1)).maxEntries(5).input(X);
        assertEquals(5, r.checked());
    }

    @Test
    void inputGeneratorsKeepTheirPromises() {
        float[] away = GradCheck.awayFromZero(Shape.of(500), 0.05, 1).data();
        for (float v : away) {
            assertTrue(Math.abs(v) >= 0.05f && Math.abs(v) <= 1f, "awayFromZero gave " + v);
        }
        float[] d = GradCheck.distinct(Shape.of(7, 9), 0.05, 2).data().clone();
        java.util.Arrays.sort(d);
        for (int i = 1; i < d.length; i++) {
            assertTrue(d[i] - d[i - 1] > 0.049f, "distinct values " + d[i - 1] + " and " + d[i] + " are too close");
        }
    }
}
