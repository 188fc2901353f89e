package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.fovea.image.Bilinear;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * The shared part of the class activation maps: the activations {@code A [N,K,h,w]} of a convolutional layer and
 * the gradient {@code G = dS_t/dA} there, per-channel weights {@code w_k} from them (the subclass), the map
 * {@code ReLU(sum_k w_k A_k)} {@code [N,1,h,w]}, upsampled bilinearly (half-pixel centres, as
 * {@code F.interpolate(align_corners=False)}) to the input's {@code [N,1,H,W]}. Samples go through the model in
 * chunks of {@code batchSize}. The maps are not normalised (divide by each map's maximum for display).
 */
public abstract class LayerCam extends Attribution {
    /**
     * The options of Grad-CAM and Grad-CAM++: the {@code layer} to read, by its name in
     * {@link Classifier#layers()}; {@code null} (or blank) for the last layer with output {@code [N,C,h,w]}. Checked
     * against the model ({@link #resolve}, which also names the default layer). Not serialised: a report gives the
     * layer read, {@link AttributionResult#layer()}.
     */
    public record Options(@JsonIgnore String layer) implements AttributionOptions {
        /** The last convolutional layer. */
        public static final Options DEFAULTS = new Options(null);

        public Options {
            if (layer != null && layer.isBlank()) {
                layer = null;
            }
        }
    }

    LayerCam() {
    }

    /** Channel weights {@code [K]} of one sample from its activations and gradient, each {@code K*hw} values at {@code off}. */
    abstract double[] weights(float[] a, float[] g, int off, int k, int hw);

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    public Kind kind() {
        return Kind.LAYER;
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return List.of(OptionInfo.of("layer", "string", null, "layer to read (default: the last one with output [N,C,H,W])"));
    }

    @Override
    protected Options parse(OptionValues v) {
        return new Options(v.string("layer", Options.DEFAULTS.layer()));
    }

    @Override
    protected Options validate(Classifier model, Tensor x, AttributionOptions options) {
        return new Options(Layers.spatial(model, ((Options) options).layer(), x));
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int n = x.dim(0);
        String layer = ((Options) cfg.options()).layer();
        Tensor maps = Tensor.zeros(kind().shape(x.shape()));
        double[] scores = new double[n];
        int hwOut = x.dim(2) * x.dim(3);
        for (int from = 0; from < n; from += cfg.batchSize()) {
            int to = Math.min(n, from + cfg.batchSize());
            int[] t = java.util.Arrays.copyOfRange(targets, from, to);
            Classifier.LayerGradient lg = model.layerGradient(x.slice(from, to), layer, Scores.objective(t, cfg.score()));
            Tensor a = lg.activations();
            int k = a.dim(1);
            int h = a.dim(2);
            int w = a.dim(3);
            int hw = h * w;
            float[] cam = new float[(to - from) * hw];
            for (int i = 0; i < to - from; i++) {
                int off = i * k * hw;
                double[] wk = weights(a.data(), lg.gradient().data(), off, k, hw);
                for (int p = 0; p < hw; p++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += wk[c] * a.data()[off + c * hw + p];
                    }
                    cam[i * hw + p] = (float) Math.max(0, s);
                }
                scores[from + i] = lg.values()[i];
            }
            Tensor up = Bilinear.resize(new Tensor(Shape.of(to - from, 1, h, w), cam), x.dim(2), x.dim(3));
            System.arraycopy(up.data(), 0, maps.data(), from * hwOut, (to - from) * hwOut);
        }
        return new AttributionResult(maps, scores, null, layer);
    }
}
