package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.model.RuleBackprop;
import dev.fovea.nn.Activation;
import dev.fovea.nn.BackwardRule;
import dev.fovea.nn.Layer;
import dev.fovea.tensor.Tensor;

/**
 * Guided back-propagation of Springenberg et al., "Striving for Simplicity: The All Convolutional Net" (ICLR
 * workshop 2015): the gradient of the target's score with every ReLU's backward replaced by
 * {@code dx = [x > 0] * max(g, 0)} (only positive signals pass, and only where the unit was active), as Captum's
 * {@code GuidedBackprop} (which applies {@code ReLU} to each ReLU module's input gradient). Other layers, tanh and
 * leaky ReLU included, keep their gradient, as in Captum (on a network without ReLU the map is the gradient).
 * Adebayo et al. (2018) find these maps nearly unchanged when the weights are randomised: they show the input's
 * edges more than the model. Needs the own engine ({@link Classifier#ruleBackprop()}). No options. Signed. Input and
 * maps {@code [N,C,H,W]}.
 */
final class GuidedBackprop extends Attribution {
    /** The guided ReLU; every other layer its own gradient. */
    static final BackwardRule RULE = new BackwardRule() {
        @Override
        public Tensor backward(Layer layer, Tensor input, Tensor output, Tensor signal) {
            if (!(layer instanceof Activation.ReLU)) {
                return null;
            }
            float[] d = layer.backward(signal).data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.max(0f, d[i]);
            }
            return new Tensor(input.shape(), d);
        }
    };

    @Override
    public String name() {
        return "guided-backprop";
    }

    @Override
    public String describe() {
        return "Guided backprop, Springenberg et al. 2015: the gradient with only positive signals through each active ReLU. "
                + "Engine models only. Signed, [N,C,H,W].";
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
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        RulePasses.of(model, name());
        return options;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        return run(model, name(), x, targets, cfg);
    }

    /** Guided back-propagation maps and scores of {@code x} in chunks of {@code batchSize} samples. */
    static AttributionResult run(Classifier model, String method, Tensor x, int[] targets, ExplainConfig cfg) {
        RuleBackprop rb = RulePasses.of(model, method);
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = new double[n];
        int chunk = RulePasses.chunk(cfg, 1, per);
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] t = java.util.Arrays.copyOfRange(targets, from, to);
            RuleBackprop.Result r = RulePasses.gradient(rb, x.slice(from, to), t, cfg, RULE);
            System.arraycopy(r.signal().data(), 0, out.data(), from * per, (to - from) * per);
            System.arraycopy(Scores.fromLogits(r.logits(), t, cfg.score()), 0, scores, from, to - from);
        }
        return new AttributionResult(out, scores, null, null);
    }

    @Override
    public String unavailableFor(Classifier model) {
        return RulePasses.unavailable(model);
    }
}
