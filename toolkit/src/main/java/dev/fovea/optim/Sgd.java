package dev.fovea.optim;

import dev.fovea.nn.Param;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, as PyTorch's {@code SGD}:
 * {@code g = grad + wd*p; b = mu*b + g; p -= lr * (nesterov ? g + mu*b : b)}.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final float[][] velocity;

    public Sgd(List<Param> params, float momentum, boolean nesterov, float weightDecay) {
        super(params);
        if (momentum < 0 || weightDecay < 0 || (nesterov && momentum == 0)) {
            throw new IllegalArgumentException("sgd: expected momentum >= 0 (> 0 for Nesterov) and weight decay >= 0, got momentum="
                    + momentum + " weight decay=" + weightDecay);
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = new float[this.params.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new float[this.params.get(i).value().size()];
        }
    }

    @Override
    public void step(float lr) {
        for (int i = 0; i < params.size(); i++) {
            float[] p = params.get(i).value().data();
            float[] g = params.get(i).grad().data();
            float[] v = velocity[i];
            for (int j = 0; j < p.length; j++) {
                float gj = g[j] + weightDecay * p[j];
                if (momentum != 0f) {
                    v[j] = momentum * v[j] + gj;
                    gj = nesterov ? gj + momentum * v[j] : v[j];
                }
                p[j] -= lr * gj;
            }
        }
    }
}
