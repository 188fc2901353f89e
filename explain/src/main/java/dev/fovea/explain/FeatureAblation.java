package dev.fovea.explain;

import dev.fovea.explain.segment.Segments;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Feature ablation over superpixels, as Captum's {@code FeatureAblation} with a {@code feature_mask}: each feature
 * {@code k} (a superpixel, all channels: {@link Superpixels}) is set to the baseline value in turn, the others kept,
 * and every pixel of it gets {@code A_k = S_t(x) - S_t(x with feature k at the baseline)}, the score the feature
 * carries alone. Zeiler and Fergus's occlusion with the squares replaced by the image's own segments. Defaults: SLIC
 * with scikit-image's 100 segments and compactness 10, baseline 0 (Captum's). Deviation: Captum's default mask is
 * every input value on its own; here the features are superpixels (a grid with {@code cell} 1 gives every pixel,
 * all channels together). Signed. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]}; {@code K+1} model rows per sample,
 * in chunks of {@code batchSize}.
 */
public final class FeatureAblation extends Attribution {
    FeatureAblation() {
    }

    @Override
    public String name() {
        return "feature-ablation";
    }

    @Override
    public String describe() {
        return "Feature ablation (Captum): score drop when each superpixel (SLIC or grid, -O segmentation=...) is set to the baseline value. "
                + "Signed, [N,1,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.PIXEL;
    }

    @Override
    public boolean manyRowsPerSample() {
        return true;
    }

    @Override
    public Superpixels.Options defaultOptions() {
        return Superpixels.Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        return Superpixels.infos();
    }

    @Override
    protected Superpixels.Options parse(OptionValues v) {
        return Superpixels.parse(v);
    }

    @Override
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        return Superpixels.unused(given, (Superpixels.Options) options, super.unused(given, options));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        ((Superpixels.Options) options).check(x);
        return options;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        Superpixels.Options o = (Superpixels.Options) cfg.options();
        int n = x.dim(0);
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batchSize());
        Tensor out = Tensor.zeros(kind().shape(x.shape()));
        float fill = (float) o.baselineValue();
        for (int i = 0; i < n; i++) {
            int sample = i;
            Segments s = o.segment(x, i);
            boolean[] on = new boolean[s.count()];
            double[] drop = new double[s.count()];
            Rows.scores(model, s.count(), cfg, r -> targets[sample], (k, d, off) -> {
                java.util.Arrays.fill(on, true);
                on[k] = false;
                Superpixels.fill(x, sample, s.labels(), on, fill, d, off);
            }, (k, v) -> drop[k] = scores[sample] - v);
            Superpixels.spread(out, i, s.labels(), drop);
        }
        return new AttributionResult(out, scores, null, null);
    }
}
