package dev.fovea.explain.trust;

import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.model.StateDict;
import dev.fovea.nn.BatchNorm;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Param;
import dev.fovea.nn.Sequential;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cascading model-randomisation sanity check of Adebayo et al., "Sanity Checks for Saliency Maps" (NeurIPS
 * 2018): the layers with parameters are re-initialised one after another from the top (the logits) down, and
 * after each step every method's maps are compared with its maps on the trained model. A method whose maps
 * explain the model must change as its weights are destroyed; one whose maps stay alike is showing the input,
 * not the model (the paper's finding for guided back-propagation; an edge detector passes for a saliency map).
 *
 * <p>Per method, step and sample: Spearman's rank correlation of the absolute maps (summed over channels) and of
 * the signed maps, and the SSIM of the absolute maps each scaled to a maximum of 1 ({@link Similarity}).
 * Re-initialisation: convolution and linear weights drawn as by the architecture's {@link dev.fovea.model.Init}
 * from {@code seed + step}, biases zero, batch-norm scales one and shifts zero (running statistics kept, as the
 * paper re-initialises weights). The network is copied through its state dict, so any model of the own engine
 * can be checked on any backend ({@code open} turns each randomised copy into a classifier). Inputs
 * {@code [N,C,H,W]}; targets are fixed before randomisation (the paper explains the original prediction).
 */
public final class ModelRandomization {
    /**
     * {@code layers[s]} is the layer re-initialised at step {@code s+1} (with all before it); per method
     * (in the order given) {@code [step][sample]} arrays; {@code maps[method][s]} the maps on the trained model
     * ({@code s = 0}) and after each step.
     */
    public record Result(List<String> methods, List<String> layers, double[][][] spearmanAbs, double[][][] spearmanSigned,
                         double[][][] ssim, Tensor[][] maps) {
        /** The mean over samples of {@code values[method][step]}. */
        public static double mean(double[][][] values, int method, int step) {
            return java.util.Arrays.stream(values[method][step]).average().orElse(Double.NaN);
        }
    }

    /** Called after each cascade step; for progress bars. */
    public interface Listener {
        void step(int step, int steps, String layer);
    }

    private ModelRandomization() {
    }

    /** The names of the layers with parameters, bottom to top, as the cascade would meet them reversed. */
    public static List<String> parameterLayers(Network net) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Layer> e : net.namedLayers()) {
            if (!e.getValue().params().isEmpty()) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The cascade for {@code methods}, each run with its configuration {@code config.apply(method)}, on inputs
     * {@code x} with fixed {@code targets}; {@code seed} draws the re-initialised weights.
     */
    public static Result run(Network net, Function<Network, Classifier> open, List<Attribution> methods, Function<Attribution, ExplainConfig> config,
                             Tensor x, int[] targets, long seed, Listener listener) throws IOException {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("sanity check: expected at least one method, got none");
        }
        List<ExplainConfig> cfg = methods.stream().map(config).toList();
        List<String> cascade = new ArrayList<>(parameterLayers(net));
        java.util.Collections.reverse(cascade);
        int steps = cascade.size();
        int m = methods.size();
        int n = x.dim(0);
        double[][][] sa = new double[m][steps][n];
        double[][][] ss = new double[m][steps][n];
        double[][][] si = new double[m][steps][n];
        Tensor[][] maps = new Tensor[m][steps + 1];
        try (Classifier c = open.apply(net)) {
            for (int j = 0; j < m; j++) {
                maps[j][0] = methods.get(j).attribute(c, x, targets, cfg.get(j)).maps();
            }
        }
        Network copy = copy(net);
        Map<String, Layer> byName = new java.util.HashMap<>();
        copy.namedLayers().forEach(e -> byName.put(e.getKey(), e.getValue()));
        for (int s = 0; s < steps; s++) {
            randomize(byName.get(cascade.get(s)), copy, seed + s + 1);
            try (Classifier c = open.apply(copy)) {
                for (int j = 0; j < m; j++) {
                    Tensor r = methods.get(j).attribute(c, x, targets, cfg.get(j)).maps();
                    maps[j][s + 1] = r;
                    compare(maps[j][0], r, sa[j][s], ss[j][s], si[j][s]);
                }
            }
            if (listener != null) {
                listener.step(s + 1, steps, cascade.get(s));
            }
        }
        return new Result(methods.stream().map(Attribution::name).toList(), cascade, sa, ss, si, maps);
    }

    /** Per sample: Spearman of absolute and signed maps, SSIM of absolute maps scaled to max 1. */
    static void compare(Tensor a, Tensor b, double[] spearmanAbs, double[] spearmanSigned, double[] ssim) {
        int n = a.dim(0);
        int c = a.dim(1);
        int h = a.dim(2);
        int w = a.dim(3);
        int per = c * h * w;
        for (int i = 0; i < n; i++) {
            float[] pa = Similarity.absPlane(a.data(), i * per, c, h * w);
            float[] pb = Similarity.absPlane(b.data(), i * per, c, h * w);
            spearmanAbs[i] = Similarity.spearman(pa, pb);
            spearmanSigned[i] = Similarity.spearman(java.util.Arrays.copyOfRange(a.data(), i * per, (i + 1) * per),
                    java.util.Arrays.copyOfRange(b.data(), i * per, (i + 1) * per));
            ssim[i] = Similarity.ssim(Similarity.scaledToMax(pa), Similarity.scaledToMax(pb), h, w);
        }
    }

    /** A deep copy of the network through its state dict. */
    static Network copy(Network net) throws IOException {
        var info = net.info();
        Sequential root = info.architecture().build(info.inputShape(), info.classes(), 0L);
        ModelFile.loadState(root, StateDict.of(net.root()), "sanity check");
        return new Network(root, info);
    }

    private static void randomize(Layer l, Network net, long seed) {
        if (l instanceof BatchNorm) {
            for (Param p : l.params()) {
                java.util.Arrays.fill(p.value().data(), p.name().equals("weight") ? 1f : 0f);
            }
            return;
        }
        net.info().architecture().init().apply(l, seed);
        for (Param p : l.params()) {
            if (p.name().equals("bias")) {
                java.util.Arrays.fill(p.value().data(), 0f);
            }
        }
    }
}
