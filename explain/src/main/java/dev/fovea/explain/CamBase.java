package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.fovea.image.Bilinear;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The shared part of the class activation maps (pytorch-grad-cam's {@code BaseCAM}): a map {@code [N,1,h,w]} at a
 * convolutional layer with activations {@code A [N,K,h,w]} (the subclass: weighted channels, a principal component),
 * its {@code ReLU}, upsampled bilinearly (half-pixel centres, as {@code F.interpolate(align_corners=False)}) to the
 * input's {@code [N,1,H,W]}. Samples go through the model in chunks of {@code batchSize}. The maps are not
 * normalised (divide by each map's maximum for display; pytorch-grad-cam min-max scales them).
 */
public abstract class CamBase extends Attribution {
    /**
     * The options of the class activation maps: the {@code layer} to read, by its name in
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

    CamBase() {
    }

    /**
     * The map before its ReLU, {@code [m,1,h,w]}, of samples {@code x} {@code [m,C,H,W]} (one chunk) for their
     * {@code targets} at {@code layer}; each sample's explained score into {@code scores}.
     */
    abstract Tensor map(Classifier model, Tensor x, int[] targets, String layer, ExplainConfig cfg, double[] scores);

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
            double[] s = new double[to - from];
            Tensor cam = map(model, x.slice(from, to), Arrays.copyOfRange(targets, from, to), layer, cfg, s);
            float[] c = cam.data().clone();
            for (int i = 0; i < c.length; i++) {
                c[i] = Math.max(0f, c[i]);
            }
            Tensor up = Bilinear.resize(new Tensor(cam.shape(), c), x.dim(2), x.dim(3));
            System.arraycopy(up.data(), 0, maps.data(), from * hwOut, (to - from) * hwOut);
            System.arraycopy(s, 0, scores, from, to - from);
        }
        return new AttributionResult(maps, scores, null, layer);
    }

    /** {@code sum_k w[k] A[i,k]} of sample {@code i} of {@code a} {@code [m,K,h,w]} into {@code out} at {@code i*hw}. */
    static void weighted(float[] a, int i, int k, int hw, double[] w, float[] out) {
        int off = i * k * hw;
        for (int p = 0; p < hw; p++) {
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += w[c] * a[off + c * hw + p];
            }
            out[i * hw + p] = (float) s;
        }
    }

    /** A map tensor {@code [m,1,h,w]} shaped after activations {@code a} {@code [m,K,h,w]}. */
    static Tensor mapOf(Tensor a, float[] cam) {
        return new Tensor(Shape.of(a.dim(0), 1, a.dim(2), a.dim(3)), cam);
    }
}
