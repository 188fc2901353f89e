package dev.fovea.model;

import dev.fovea.nn.Layer;
import dev.fovea.nn.Residual;
import dev.fovea.nn.Sequential;
import dev.fovea.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receptive field of a layer's units in input pixels: its {@code size}, the {@code jump} between neighbouring
 * units, and the centre {@code start} of unit 0 (Araujo et al. 2019, "Computing Receptive Fields of
 * Convolutional Neural Networks"). Through a layer with kernel {@code k}, stride {@code s} and padding {@code p}:
 * {@code size' = size + (k-1) jump}, {@code jump' = jump s}, {@code start' = start + ((k-1)/2 - p) jump}. A global
 * average pool sees its whole input; in a residual block the field is the body's, the wider path.
 */
public record ReceptiveField(int size, int jump, double start) {
    /** The input itself: one pixel, unit {@code i} at pixel {@code i}. */
    public static final ReceptiveField INPUT = new ReceptiveField(1, 1, 0);

    /** The field after a layer that is not a container, for input shape {@code in}. */
    public ReceptiveField through(Layer layer, Shape in) {
        int[] ks = layer.spatialKernelStride();
        if (ks != null) {
            int pad = ks.length > 2 ? ks[2] : 0;
            return new ReceptiveField(size + (ks[0] - 1) * jump, jump * ks[1], start + ((ks[0] - 1) / 2.0 - pad) * jump);
        }
        if (layer.type().equals("global_avgpool") && in.rank() == 4) {
            return new ReceptiveField(size + (in.dim(2) - 1) * jump, jump, start + (in.dim(2) - 1) / 2.0 * jump);
        }
        return this;
    }

    /**
     * The input box {@code {top, left, bottom, right}} (inclusive, clipped to {@code h x w}) seen by the unit at
     * {@code (row, col)} of a layer with this field.
     */
    public int[] box(int row, int col, int h, int w) {
        double cy = start + row * (double) jump;
        double cx = start + col * (double) jump;
        double half = (size - 1) / 2.0;
        return new int[] {clip(Math.ceil(cy - half), h), clip(Math.ceil(cx - half), w), clip(Math.floor(cy + half), h), clip(Math.floor(cx + half), w)};
    }

    private static int clip(double v, int n) {
        return (int) Math.max(0, Math.min(n - 1, v));
    }

    /** The field of every named layer of the network (state-dict names), in depth-first order. */
    public static Map<String, ReceptiveField> of(Network net) {
        Map<String, ReceptiveField> out = new LinkedHashMap<>();
        walk(net.root(), "", net.inputShape().withBatch(1), INPUT, out);
        return out;
    }

    /** Visits the children of {@code l}; returns the field after the last one. */
    private static ReceptiveField walk(Layer l, String prefix, Shape in, ReceptiveField rf, Map<String, ReceptiveField> out) {
        Shape s = in;
        ReceptiveField f = rf;
        for (Layer.Child c : l.children()) {
            Layer layer = c.layer();
            String name = prefix + c.name();
            Shape o = layer.outputShape(s);
            if (layer instanceof Residual r) {
                ReceptiveField body = walk(r.body(), name + ".body.", s, f, out);
                walk(r.shortcut(), name + ".shortcut.", s, f, out);
                out.put(name, body);
                f = body;
            } else if (layer instanceof Sequential) {
                f = walk(layer, name + ".", s, f, out);
                out.put(name, f);
            } else {
                f = layer.spatialKernelStride() != null || layer.type().equals("global_avgpool") ? f.through(layer, s) : f;
                out.put(name, f);
            }
            s = o;
        }
        return f;
    }
}
