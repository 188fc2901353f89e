package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Choosing a layer of a classifier by name, with a message listing the valid ones, or the last convolutional one;
 * errors are {@link InvalidOptionException}s of option {@code layer}.
 */
public final class Layers {
    private Layers() {
    }

    /**
     * {@code name} checked against {@link Classifier#layers()}, which must give spatial activations
     * {@code [N,C,h,w]} for {@code probe} (one or more input samples); {@code null} picks the last such layer.
     */
    public static String spatial(Classifier model, String name, Tensor probe) {
        List<String> all = model.layers();
        Tensor one = probe.slice(0, 1);
        if (name != null) {
            if (!all.contains(name)) {
                throw new InvalidOptionException("layer", "layer: unknown layer '" + name + "' (layers: "
                        + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
            }
            Shape s = model.activations(one, name).shape();
            if (s.rank() != 4) {
                throw new InvalidOptionException("layer", "layer " + name + ": expected a convolutional layer with output [N,C,H,W], got " + s);
            }
            return name;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            if (model.activations(one, all.get(i)).shape().rank() == 4) {
                return all.get(i);
            }
        }
        throw new InvalidOptionException("layer", "layer: the model has no layer with output [N,C,H,W] (layers: "
                + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
    }
}
