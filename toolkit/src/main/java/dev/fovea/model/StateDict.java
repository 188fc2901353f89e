package dev.fovea.model;

import dev.fovea.nn.Layer;
import dev.fovea.nn.Param;
import dev.fovea.nn.StateTensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Walks a layer tree and names its state as PyTorch's {@code state_dict()} would ({@code 0.weight}, {@code 3.body.1.running_mean}). */
public final class StateDict {
    private StateDict() {
    }

    public static Map<String, StateTensor> of(Layer root) {
        Map<String, StateTensor> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Layer l, String prefix, Map<String, StateTensor> out) {
        for (StateTensor t : l.state()) {
            out.put(prefix + t.name(), t.renamed(prefix + t.name()));
        }
        for (Layer.Child c : l.children()) {
            collect(c.layer(), prefix + c.name() + ".", out);
        }
    }

    /** All learnable parameters in state-dict order, with their full names. */
    public static List<Map.Entry<String, Param>> params(Layer root) {
        List<Map.Entry<String, Param>> out = new ArrayList<>();
        collectParams(root, "", out);
        return out;
    }

    private static void collectParams(Layer l, String prefix, List<Map.Entry<String, Param>> out) {
        for (Param p : l.params()) {
            out.add(Map.entry(prefix + p.name(), p));
        }
        for (Layer.Child c : l.children()) {
            collectParams(c.layer(), prefix + c.name() + ".", out);
        }
    }
}
