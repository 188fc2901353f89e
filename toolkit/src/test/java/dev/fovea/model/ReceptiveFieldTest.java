package dev.fovea.model;

import dev.fovea.data.FixturePaths;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receptive fields against the input gradient of single units: every pixel a unit depends on lies in its box. */
class ReceptiveFieldTest {
    @Test
    void gradientOfAUnitStaysInsideItsBox() throws IOException {
        Network net = ModelFile.load(FixturePaths.fixture("models", "convnet.fovea"));
        Map<String, ReceptiveField> rf = ReceptiveField.of(net);
        assertEquals(new ReceptiveField(3, 1, 0), rf.get("0"));
        assertEquals(16, rf.get("13").size());
        EngineClassifier c = new EngineClassifier(net, 8);
        Tensor x = Tensor.uniform(Shape.of(1, 1, 28, 28), 0.2f, 0.8f, 5);
        int total = 0;
        for (String layer : List.of("2", "6", "9", "13")) {
            Shape s = c.activations(x, layer).shape();
            int h = s.dim(2);
            int w = s.dim(3);
            for (int[] pos : new int[][] {{0, 0}, {h / 2, w / 3}, {h - 1, w - 1}}) {
                int flat = 1 * h * w + pos[0] * w + pos[1];
                float[] g = c.gradient(x, Objective.neuron(layer, flat)).gradient().data();
                int[] box = rf.get(layer).box(pos[0], pos[1], 28, 28);
                int inside = 0;
                for (int y = 0; y < 28; y++) {
                    for (int xx = 0; xx < 28; xx++) {
                        boolean in = y >= box[0] && y <= box[2] && xx >= box[1] && xx <= box[3];
                        if (g[y * 28 + xx] != 0) {
                            assertTrue(in, "layer " + layer + " unit " + pos[0] + "," + pos[1] + ": gradient at " + y + "," + xx
                                    + " outside " + java.util.Arrays.toString(box));
                            inside++;
                        }
                    }
                }
                total += inside;
            }
        }
        assertTrue(total > 0, "some unit depends on some pixel");
    }
}
