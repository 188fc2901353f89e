package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every objective's gradient against central differences on its input, and its values against the definitions. */
class ObjectiveTest {
    static Objective named(String name, int[] y) {
        return switch (name) {
            case "cross_entropy" -> Objective.crossEntropy(y);
            case "logit" -> Objective.logit(y);
            case "probability" -> Objective.probability(y);
            case "margin" -> Objective.margin(y);
            case "dlr" -> Objective.dlr(y);
            case "targeted_dlr" -> Objective.targetedDlr(y, new int[] {3, 4});
            case "channel" -> Objective.channelMean("x", 1);
            case "neuron" -> Objective.neuron("x", 3);
            case "sum" -> Objective.sum(List.of(Objective.logit(y), Objective.crossEntropy(y)), new double[] {0.5, -2});
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy", "logit", "probability", "margin", "dlr", "targeted_dlr", "channel", "neuron", "sum"})
    void gradientMatchesCentralDifferences(String name) {
        // Well-separated values: no ties in the sorts and maxima that margin and DLR take.
        float[] z = {0.9f, -1.3f, 2.2f, 0.1f, 3.5f, -0.6f, 1.4f, 0.5f, 2.9f, -2.0f};
        Tensor out = Tensor.of(z.clone(), 2, 5);
        int[] y = {2, 0};
        Objective o = named(name, y);
        Objective.Evaluation e = o.evaluate(out);
        double h = 1e-3;
        for (int i = 0; i < z.length; i++) {
            float[] p = z.clone();
            float[] m = z.clone();
            p[i] += (float) h;
            m[i] -= (float) h;
            int n = i / 5;
            double num = (o.evaluate(Tensor.of(p, 2, 5)).values()[n] - o.evaluate(Tensor.of(m, 2, 5)).values()[n]) / ((double) p[i] - m[i]);
            assertEquals(num, e.gradient().data()[i], 1e-3, name + " at " + i);
        }
    }

    @Test
    void valuesFollowTheDefinitions() {
        Tensor z = Tensor.of(new float[] {1f, 4f, 2f, 0f}, 1, 4);
        assertEquals(2.0, Objective.logit(new int[] {2}).evaluate(z).values()[0], 1e-12);
        assertEquals(2.0, Objective.margin(new int[] {2}).evaluate(z).values()[0], 1e-12);
        double norm = Math.exp(1) + Math.exp(4) + Math.exp(2) + Math.exp(0);
        assertEquals(Math.exp(2) / norm, Objective.probability(new int[] {2}).evaluate(z).values()[0], 1e-12);
        assertEquals(-(2.0 - 4.0) / (4.0 - 1.0), Objective.dlr(new int[] {2}).evaluate(z).values()[0], 1e-6);
        assertEquals(-(2.0 - 0.0) / (4.0 - (1.0 + 0.0) / 2), Objective.targetedDlr(new int[] {2}, new int[] {3}).evaluate(z).values()[0], 1e-6);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        assertEquals(6.5, Objective.channelMean("l", 1).evaluate(a).values()[0], 1e-12);
        assertEquals(4.0, Objective.neuron("l", 3).evaluate(a).values()[0], 1e-12);
    }

    @Test
    void dlrIsInvariantToShiftAndScale() {
        float[] z = {0.3f, 2.1f, -0.7f, 1.2f};
        float[] w = new float[4];
        for (int i = 0; i < 4; i++) {
            w[i] = 3f * z[i] + 5f;
        }
        double a = Objective.dlr(new int[] {1}).evaluate(Tensor.of(z, 1, 4)).values()[0];
        double b = Objective.dlr(new int[] {1}).evaluate(Tensor.of(w, 1, 4)).values()[0];
        assertEquals(a, b, 1e-5);
    }

    @Test
    void badIndicesAreNamed() {
        Tensor z = Tensor.of(new float[] {1f, 4f}, 1, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Objective.logit(new int[] {5}).evaluate(z)).getMessage().contains("class 5"));
        assertThrows(IllegalArgumentException.class, () -> Objective.channelMean("l", 7).evaluate(Tensor.zeros(Shape.of(1, 2, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> Objective.sum(List.of(Objective.logit(new int[] {0}), Objective.channelMean("l", 0)), new double[] {1, 1}));
    }
}
