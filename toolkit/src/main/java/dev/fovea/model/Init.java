package dev.fovea.model;

import dev.fovea.nn.Conv2d;
import dev.fovea.nn.ConvTranspose2d;
import dev.fovea.nn.Layer;
import dev.fovea.nn.Linear;
import dev.fovea.nn.Param;

import java.util.Random;

/**
 * Weight initialisation. He (Kaiming) normal, {@code N(0, 2/fan_in)} (He et al. 2015), for ReLU networks;
 * Xavier (Glorot) uniform, {@code U(-a, a)} with {@code a = sqrt(6/(fan_in+fan_out))} (Glorot & Bengio 2010),
 * for tanh and sigmoid networks. Biases start at zero, batch-norm scales at one. Layers are visited in
 * state-dict order from one seeded generator, so a seed always gives the same weights.
 */
public enum Init {
    HE, XAVIER;

    public void apply(Layer root, long seed) {
        Random r = new Random(seed);
        visit(root, r);
    }

    private void visit(Layer l, Random r) {
        if (l instanceof Conv2d c) {
            int k2 = c.kernel() * c.kernel();
            fill(c.weight(), c.inChannels() * k2, c.outChannels() * k2, r);
        } else if (l instanceof ConvTranspose2d t) {
            int[] d = t.weight().value().shape().dims();
            int k2 = d[2] * d[3];
            // PyTorch computes fan_in from dim 1 of the [Cin, Cout, K, K] weight.
            fill(t.weight(), d[1] * k2, d[0] * k2, r);
        } else if (l instanceof Linear lin) {
            fill(lin.weight(), lin.inFeatures(), lin.outFeatures(), r);
        }
        for (Layer.Child c : l.children()) {
            visit(c.layer(), r);
        }
    }

    private void fill(Param p, int fanIn, int fanOut, Random r) {
        float[] w = p.value().data();
        if (this == HE) {
            double std = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * std);
            }
        } else {
            double a = Math.sqrt(6.0 / (fanIn + fanOut));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((2 * r.nextDouble() - 1) * a);
            }
        }
    }
}
