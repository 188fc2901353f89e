package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Gradient x input of Shrikumar et al., "Not Just a Black Box: Learning Important Features Through Propagating
 * Activation Differences" (2016): {@code A = x * dS_t/dx}, elementwise, with {@code S_t} the target's score. For a
 * linear score it is each input's exact contribution; in general a first-order one. Signed. Input and maps
 * {@code [N,C,H,W]}. No options.
 */
final class GradientTimesInput extends Attribution {
    @Override
    public String name() {
        return "gradient-x-input";
    }

    @Override
    public String describe() {
        return "Gradient x input, Shrikumar et al. 2016: x * d score / dx, each pixel's first-order contribution. Signed, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.INPUT;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int per = x.shape().sizeFrom(1);
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = new double[x.dim(0)];
        Rows.gradients(model, x.dim(0), cfg, i -> targets[i], (i, d, o) -> Rows.copy(x, i, d, o), (i, s, g, o) -> {
            scores[i] = s;
            for (int j = 0; j < per; j++) {
                out.data()[i * per + j] = g[o + j] * x.data()[i * per + j];
            }
        });
        return new AttributionResult(out, scores, null, null);
    }
}
