package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A residual block and the ReLU after it run as one pass ({@code relu(body(x) + shortcut(x))}); its outputs, input
 * gradients and parameter gradients are bit for bit those of the two layers one after the other, which a tap on the
 * ReLU brings back.
 */
class ResidualReluTest {
    private static Sequential net(long seed) {
        Residual identity = new Residual(new Sequential(List.of(new Conv2d(4, 4, 3, 1, 1, false), new BatchNorm.BatchNorm2d(4), new Activation.ReLU(),
                new Conv2d(4, 4, 3, 1, 1, false), new BatchNorm.BatchNorm2d(4))), new Sequential(List.of()));
        Residual projection = new Residual(new Sequential(List.of(new Conv2d(4, 6, 3, 2, 1, false), new BatchNorm.BatchNorm2d(6))),
                new Sequential(List.of(new Conv2d(4, 6, 1, 2, 0, false), new BatchNorm.BatchNorm2d(6))));
        Sequential s = new Sequential(List.of(new Conv2d(2, 4, 3, 1, 1, true), new Activation.ReLU(), identity, new Activation.ReLU(), projection,
                new Activation.ReLU()));
        GradCheck.randomizeAll(s, -0.5, 0.5, seed);
        return s;
    }

    /** Output, input gradient and every parameter gradient of a training step (or an evaluation pass). */
    private static List<float[]> step(Sequential s, Tensor x, boolean training) {
        for (var e : dev.fovea.model.StateDict.params(s)) {
            java.util.Arrays.fill(e.getValue().grad().data(), 0f);
        }
        Tensor y = s.forward(x, training);
        Tensor g = GradCheck.uniform(y.shape(), -1, 1, 9);
        List<float[]> out = new ArrayList<>();
        out.add(y.data().clone());
        Tensor dx = s.backward(g);
        assertNotNull(dx);
        out.add(dx.data().clone());
        for (var e : dev.fovea.model.StateDict.params(s)) {
            out.add(e.getValue().grad().data().clone());
        }
        return out;
    }

    @Test
    void fusedPassIsTheTwoLayersBitForBit() {
        for (boolean training : new boolean[] {true, false}) {
            Sequential s = net(5);
            Tensor x = GradCheck.uniform(Shape.of(3, 2, 8, 8), -1, 1, 6);
            List<List<float[]>> held = new ArrayList<>();
            LayerProfile p = LayerProfile.during(() -> held.add(step(s, x, training)));
            List<float[]> fused = held.get(0);
            assertEquals(2 * (2 + 2), p.calls(LayerProfile.Kind.ELEMENT_WISE), "forward and backward: two ReLUs and the two fused sums: " + p);
            int[] seen = new int[1];
            for (int i : new int[] {3, 5}) {
                s.layers().get(i).setTaps(t -> seen[0]++, null);
            }
            List<float[]> apart = step(s, x, training);
            assertEquals(2, seen[0], "the taps kept the ReLUs apart");
            assertEquals(apart.size(), fused.size());
            for (int k = 0; k < fused.size(); k++) {
                assertArrayEquals(apart.get(k), fused.get(k), (training ? "training" : "evaluation") + ", array " + k);
            }
        }
    }

    /**
     * With frozen parameters (an attack's or attribution's pass) each block's sum, and the ReLU after it, run in the
     * pass of the body's last folded convolution and batch norm: output and input gradient bit for bit those of the
     * sum taken apart, which a tap on each body brings back; a block with no ReLU after it (the last) too.
     */
    @Test
    void frozenBlocksAddTheirShortcutInTheLastConvolution() {
        Sequential s = net(7);
        Residual plain = new Residual(new Sequential(List.of(new Conv2d(6, 6, 3, 1, 1, true), new BatchNorm.BatchNorm2d(6))), new Sequential(List.of()));
        GradCheck.randomizeAll(plain, -0.5, 0.5, 8);
        List<Layer> layers = new ArrayList<>(s.layers());
        layers.add(plain);
        Sequential all = new Sequential(layers);
        for (var e : dev.fovea.model.StateDict.params(all)) {
            e.getValue().setRequiresGrad(false);
        }
        // 40 pixels wide: whole vectors and a tail, in both stages
        Tensor x = GradCheck.uniform(Shape.of(2, 2, 40, 40), -1, 1, 6);
        List<float[]> fused = new ArrayList<>();
        LayerProfile p = LayerProfile.during(() -> fused.addAll(evaluate(all, x)));
        assertEquals(2 + 3, p.calls(LayerProfile.Kind.ELEMENT_WISE),
                "the first ReLU forward and backward, the three blocks' sums of their branches' gradients, no sum forward: " + p);
        int[] seen = new int[1];
        for (int i : new int[] {2, 4, 6}) {
            ((Residual) all.layers().get(i)).body().setTaps(t -> seen[0]++, null);
        }
        List<float[]> apart = evaluate(all, x);
        assertEquals(3, seen[0], "the taps kept the sums apart");
        assertArrayEquals(apart.get(0), fused.get(0), "output");
        assertArrayEquals(apart.get(1), fused.get(1), "input gradient");
    }

    private static List<float[]> evaluate(Sequential s, Tensor x) {
        Tensor y = s.forward(x, false);
        List<float[]> out = new ArrayList<>();
        out.add(y.data().clone());
        out.add(s.backward(GradCheck.uniform(y.shape(), -1, 1, 9)).data().clone());
        return out;
    }

    /** Negative sums, zero sums and NaNs: the fused ReLU gives 0 for each and passes no gradient there, as the ReLU does. */
    @Test
    void negativeZeroAndNaNSumsAreCut() {
        Residual r = new Residual(new Sequential(List.of()), new Sequential(List.of()));
        Activation.ReLU relu = new Activation.ReLU();
        Sequential s = new Sequential(List.of(r, relu));
        Tensor x = new Tensor(Shape.of(1, 1, 1, 5), new float[] {-1f, 0f, Float.NaN, 0.25f, -0f});
        Tensor y = s.forward(x, true);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 0f}, y.data());
        Tensor dx = s.backward(new Tensor(y.shape(), new float[] {1f, 1f, 1f, 1f, 1f}));
        assertArrayEquals(new float[] {0f, 0f, 0f, 2f, 0f}, dx.data(), "both branches pass the gradient where the sum was positive");
    }
}
