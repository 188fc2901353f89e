package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Saliency map (vanilla gradient) of Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks:
 * Visualising Image Classification Models and Saliency Maps" (2014):
 * {@code M[h,w] = max_c |dS_t/dx[c,h,w]|}, with {@code S_t} the target's score (logit by default, the paper's
 * choice). Unsigned. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]} ({@link Kind#PIXEL}: the paper's maximum over
 * colour channels; for one-channel images this is {@code |gradient|} in the input's shape). No options.
 */
final class Saliency extends Attribution {
    @Override
    public String name() {
        return "saliency";
    }

    @Override
    public String describe() {
        return "Saliency, Simonyan et al. 2014: |d score / d pixel|, max over channels. How sensitive the score is to each pixel. Unsigned, [N,1,H,W].";
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    public Kind kind() {
        return Kind.PIXEL;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        Tensor out = Tensor.zeros(kind().shape(x.shape()));
        double[] scores = new double[n];
        Rows.gradients(model, n, cfg, i -> targets[i], (i, d, o) -> Rows.copy(x, i, d, o), (i, s, g, o) -> {
            scores[i] = s;
            for (int p = 0; p < hw; p++) {
                float m = 0;
                for (int ch = 0; ch < c; ch++) {
                    m = Math.max(m, Math.abs(g[o + ch * hw + p]));
                }
                out.data()[i * hw + p] = m;
            }
        });
        return new AttributionResult(out, scores, null, null);
    }
}
