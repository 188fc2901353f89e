package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied one after the other; children are named {@code 0, 1, ...} as in PyTorch's {@code nn.Sequential}. */
public final class Sequential extends Layer {
    private final List<Layer> layers;

    public Sequential(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String type() {
        return "sequential";
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape s = in;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor y = x;
        for (Layer l : layers) {
            y = l.tapForward(l.forward(y, training));
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            g = l.backward(l.tapBackward(g));
        }
        return g;
    }

    @Override
    public List<Child> children() {
        List<Child> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(new Child(Integer.toString(i), layers.get(i)));
        }
        return out;
    }

    @Override
    public long macs(Shape in) {
        long total = 0;
        Shape s = in;
        for (Layer l : layers) {
            total += l.macs(s);
            s = l.outputShape(s);
        }
        return total;
    }
}
