package dev.fovea.explain;

import dev.fovea.nn.Activation;
import dev.fovea.nn.BackwardRule;
import dev.fovea.nn.Layer;
import dev.fovea.nn.MaxPool2d;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;

/**
 * DeepLift's multipliers (Shrikumar et al. 2017) over a pass whose first half of rows are inputs and second half
 * their references, row {@code j} paired with row {@code j + n/2}; both halves get the same multipliers.
 * <ul>
 *   <li>element-wise activations (ReLU, leaky ReLU, sigmoid, tanh): the rescale rule {@code m = dy/dx}, the
 *       differences of output and input between the pair, the gradient where {@code |dx| < 1e-10} (Captum's eps);</li>
 *   <li>max pooling: Captum's rule: each window's {@code max(y, y') - y'} goes to the input's maximum and
 *       {@code y - max(y, y')} to the reference's, divided by {@code dx} (the gradient where {@code |dx| < 1e-10}), so
 *       the multipliers still sum to the output's difference;</li>
 *   <li>affine layers (convolution, linear, batch norm, average pooling, flatten, dropout): their gradient, which is
 *       exact for them (the linear rule).</li>
 * </ul>
 * A softmax inside the network is refused (Captum has an ad hoc rule for it).
 */
final class RescaleRule implements BackwardRule {
    /** Captum's threshold below which a difference counts as zero. */
    static final double EPS = 1e-10;
    private final String method;

    RescaleRule(String method) {
        this.method = method;
    }

    @Override
    public Tensor backward(Layer layer, Tensor input, Tensor output, Tensor signal) {
        if (layer instanceof Activation) {
            return rescale(layer.backward(signal), input, output, signal);
        }
        if (layer instanceof MaxPool2d pool) {
            return maxPool(pool, input, output, signal);
        }
        if (layer instanceof Softmax) {
            throw new IllegalArgumentException(method + ": expected layers with a DeepLift rule, got a softmax inside the network");
        }
        return null;
    }

    private static Tensor rescale(Tensor plain, Tensor in, Tensor out, Tensor s) {
        float[] x = in.data();
        float[] y = out.data();
        float[] g = s.data();
        float[] p = plain.data();
        float[] r = new float[x.length];
        int half = x.length / 2;
        for (int i = 0; i < half; i++) {
            double dx = (double) x[i] - x[i + half];
            if (Math.abs(dx) < EPS) {
                r[i] = p[i];
                r[i + half] = p[i + half];
            } else {
                double m = ((double) y[i] - y[i + half]) / dx;
                r[i] = (float) (g[i] * m);
                r[i + half] = (float) (g[i + half] * m);
            }
        }
        return new Tensor(in.shape(), r);
    }

    private static Tensor maxPool(MaxPool2d pool, Tensor in, Tensor out, Tensor s) {
        float[] y = out.data();
        float[] g = s.data();
        int halfOut = y.length / 2;
        float[] t = new float[y.length];
        for (int i = 0; i < halfOut; i++) {
            float top = Math.max(y[i], y[i + halfOut]);
            t[i] = g[i] * (top - y[i + halfOut]);
            t[i + halfOut] = g[i + halfOut] * (y[i] - top);
        }
        float[] u = pool.route(new Tensor(out.shape(), t)).data();
        float[] plain = pool.route(s).data();
        float[] x = in.data();
        int half = x.length / 2;
        float[] r = new float[x.length];
        for (int i = 0; i < half; i++) {
            double dx = (double) x[i] - x[i + half];
            if (Math.abs(dx) < EPS) {
                r[i] = plain[i];
                r[i + half] = plain[i + half];
            } else {
                float m = (float) (((double) u[i] + u[i + half]) / dx);
                r[i] = m;
                r[i + half] = m;
            }
        }
        return new Tensor(in.shape(), r);
    }
}
