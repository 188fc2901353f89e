package dev.fovea.optim;

import dev.fovea.nn.Param;

import java.util.List;

/** Updates parameters from their accumulated gradients; the learning rate is given per step by a schedule. */
public abstract class Optimizer {
    protected final List<Param> params;

    protected Optimizer(List<Param> params) {
        this.params = List.copyOf(params);
    }

    /** One update with learning rate {@code lr}; gradients are left as they are. */
    public abstract void step(float lr);

    public void zeroGrad() {
        for (Param p : params) {
            p.zeroGrad();
        }
    }

    /** Optimizer kinds by name. */
    public enum Kind {
        SGD, ADAM, ADAMW;

        /**
         * A fresh optimizer of this kind: SGD with {@code momentum} (Nesterov when asked), Adam with L2 weight decay
         * added to the gradient, AdamW with decoupled weight decay; Adam's betas are (0.9, 0.999), eps 1e-8.
         */
        public Optimizer create(List<Param> params, float momentum, boolean nesterov, float weightDecay) {
            return switch (this) {
                case SGD -> new Sgd(params, momentum, nesterov, weightDecay);
                case ADAM -> new Adam(params, 0.9f, 0.999f, 1e-8f, weightDecay, false);
                case ADAMW -> new Adam(params, 0.9f, 0.999f, 1e-8f, weightDecay, true);
            };
        }
    }
}
