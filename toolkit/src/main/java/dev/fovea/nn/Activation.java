package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * Element-wise activations. Each keeps what its derivative needs: the input for ReLU and leaky ReLU, the output
 * for sigmoid ({@code y(1-y)}) and tanh ({@code 1-y^2}).
 */
public abstract class Activation extends Layer {
    private Tensor saved;

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    @Override
    public final Tensor forward(Tensor x, boolean training) {
        float[] in = x.data();
        float[] out = new float[in.length];
        apply(in, out);
        Tensor y = new Tensor(x.shape(), out);
        saved = savesOutput() ? y : x;
        return y;
    }

    @Override
    public final Tensor backward(Tensor gradOut) {
        float[] g = gradOut.data();
        float[] dx = new float[g.length];
        derivative(saved.data(), g, dx);
        return new Tensor(gradOut.shape(), dx);
    }

    abstract void apply(float[] in, float[] out);

    /** {@code dx[i] = g[i] * f'(...)}, from the saved input or output. */
    abstract void derivative(float[] saved, float[] g, float[] dx);

    abstract boolean savesOutput();

    /** {@code max(0, x)}; the derivative at 0 is taken as 0, as PyTorch does. */
    public static final class ReLU extends Activation {
        @Override
        public String type() {
            return "relu";
        }

        @Override
        void apply(float[] in, float[] out) {
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] > 0f ? in[i] : 0f;
            }
        }

        @Override
        void derivative(float[] x, float[] g, float[] dx) {
            for (int i = 0; i < x.length; i++) {
                dx[i] = x[i] > 0f ? g[i] : 0f;
            }
        }

        @Override
        boolean savesOutput() {
            return false;
        }
    }

    /** {@code x} for positive inputs, {@code slope * x} otherwise (default slope 0.01, as PyTorch). */
    public static final class LeakyReLU extends Activation {
        private final float slope;

        public LeakyReLU(float slope) {
            this.slope = slope;
        }

        public float slope() {
            return slope;
        }

        @Override
        public String type() {
            return "leaky_relu";
        }

        @Override
        public String describe() {
            return "leaky_relu " + slope;
        }

        @Override
        void apply(float[] in, float[] out) {
            for (int i = 0; i < in.length; i++) {
                out[i] = in[i] > 0f ? in[i] : slope * in[i];
            }
        }

        @Override
        void derivative(float[] x, float[] g, float[] dx) {
            for (int i = 0; i < x.length; i++) {
                dx[i] = x[i] > 0f ? g[i] : slope * g[i];
            }
        }

        @Override
        boolean savesOutput() {
            return false;
        }
    }

    /** {@code 1 / (1 + e^-x)}. */
    public static final class Sigmoid extends Activation {
        @Override
        public String type() {
            return "sigmoid";
        }

        @Override
        void apply(float[] in, float[] out) {
            for (int i = 0; i < in.length; i++) {
                out[i] = (float) (1.0 / (1.0 + Math.exp(-in[i])));
            }
        }

        @Override
        void derivative(float[] y, float[] g, float[] dx) {
            for (int i = 0; i < y.length; i++) {
                dx[i] = g[i] * y[i] * (1f - y[i]);
            }
        }

        @Override
        boolean savesOutput() {
            return true;
        }
    }

    /** Hyperbolic tangent. */
    public static final class Tanh extends Activation {
        @Override
        public String type() {
            return "tanh";
        }

        @Override
        void apply(float[] in, float[] out) {
            for (int i = 0; i < in.length; i++) {
                out[i] = (float) Math.tanh(in[i]);
            }
        }

        @Override
        void derivative(float[] y, float[] g, float[] dx) {
            for (int i = 0; i < y.length; i++) {
                dx[i] = g[i] * (1f - y[i] * y[i]);
            }
        }

        @Override
        boolean savesOutput() {
            return true;
        }
    }
}
