package dev.fovea.optim;

import dev.fovea.nn.Param;

import java.util.List;

/**
 * Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), as PyTorch: bias-corrected first and second
 * moments, {@code p -= lr * m_hat / (sqrt(v_hat) + eps)}. Adam adds {@code wd*p} to the gradient; AdamW instead
 * shrinks the weights directly, {@code p -= lr*wd*p}, before the update.
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final boolean decoupled;
    private final float[][] m;
    private final float[][] v;
    private long t;

    public Adam(List<Param> params, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        super(params);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps > 0 && weightDecay >= 0)) {
            throw new IllegalArgumentException("adam: expected betas in [0,1), eps > 0, weight decay >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[this.params.get(i).value().size()];
            v[i] = new float[this.params.get(i).value().size()];
        }
    }

    @Override
    public void step(float lr) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        for (int i = 0; i < params.size(); i++) {
            float[] p = params.get(i).value().data();
            float[] g = params.get(i).grad().data();
            float[] mi = m[i];
            float[] vi = v[i];
            for (int j = 0; j < p.length; j++) {
                float gj = g[j];
                if (weightDecay != 0f) {
                    if (decoupled) {
                        p[j] -= lr * weightDecay * p[j];
                    } else {
                        gj += weightDecay * p[j];
                    }
                }
                mi[j] = beta1 * mi[j] + (1 - beta1) * gj;
                vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj;
                p[j] -= stepSize * mi[j] / ((float) Math.sqrt(vi[j]) / sqrtBc2 + eps);
            }
        }
    }
}
