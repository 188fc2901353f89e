package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A scalar per sample, computed from the logits or from one layer's activations, whose gradient a
 * {@link Classifier} takes with respect to the input pixels. Objectives are values: build them with the factory
 * methods and pass them around; each sample's value depends on that sample alone.
 *
 * <p>{@link #evaluate} gets the output it reads ({@code [N,K]} logits, or the layer's {@code [N,...]}
 * activations) and returns the value of each sample and the gradient of that value with respect to the output.
 */
public abstract class Objective {
    /** Values {@code [N]} and their gradient with respect to the output read, shaped like it. */
    public record Evaluation(double[] values, Tensor gradient) {
    }

    /** The layer read, or {@code null} for the logits. */
    public abstract String layer();

    public abstract Evaluation evaluate(Tensor output);

    /** A short description for reports. */
    public abstract String describe();

    /** A copy of the objective restricted to samples {@code [from, to)} (for chunked evaluation). */
    public abstract Objective slice(int from, int to);

    @Override
    public String toString() {
        return describe();
    }

    /** Cross-entropy {@code logsumexp(z) - z_y} to the given labels (grows as the model is fooled). */
    public static Objective crossEntropy(int[] labels) {
        return new OnLogits("cross_entropy", labels) {
            @Override
            double value(float[] z, int o, int k, int y, float[] g) {
                return dev.fovea.loss.SoftmaxCrossEntropy.row(z, o, k, y, g, 1.0);
            }
        };
    }

    /** The logit of the given class of each sample. */
    public static Objective logit(int[] classes) {
        return new OnLogits("logit", classes) {
            @Override
            double value(float[] z, int o, int k, int y, float[] g) {
                g[o + y] = 1f;
                return z[o + y];
            }
        };
    }

    /**
     * The softmax probability {@code p_t = exp(z_t) / sum_j exp(z_j)} of the given class of each sample (computed
     * in double precision), with gradient {@code dp_t/dz_j = p_t (1[j=t] - p_j)}.
     */
    public static Objective probability(int[] classes) {
        return new OnLogits("probability", classes) {
            @Override
            double value(float[] z, int o, int k, int t, float[] g) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, z[o + j]);
                }
                double[] p = new double[k];
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    p[j] = Math.exp(z[o + j] - max);
                    sum += p[j];
                }
                for (int j = 0; j < k; j++) {
                    p[j] /= sum;
                }
                for (int j = 0; j < k; j++) {
                    g[o + j] = (float) (p[t] * ((j == t ? 1 : 0) - p[j]));
                }
                return p[t];
            }
        };
    }

    /**
     * The logit margin {@code max_{j != y} z_j - z_y} of Carlini and Wagner (2017): positive once the sample is
     * misclassified. For a target class {@code t}, {@code margin(t)} negated is the targeted form.
     */
    public static Objective margin(int[] labels) {
        return new OnLogits("margin", labels) {
            @Override
            double value(float[] z, int o, int k, int y, float[] g) {
                int best = runnerUp(z, o, k, y);
                g[o + best] = 1f;
                g[o + y] = -1f;
                return (double) z[o + best] - z[o + y];
            }
        };
    }

    /**
     * The difference of logits ratio of Croce and Hein (2020),
     * {@code -(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3 + 1e-12)} with {@code z_pi} the logits sorted in
     * decreasing order: invariant to shifting and scaling the logits. Needs at least three classes.
     */
    public static Objective dlr(int[] labels) {
        return new OnLogits("dlr", labels) {
            @Override
            double value(float[] z, int o, int k, int y, float[] g) {
                if (k < 3) {
                    throw new IllegalArgumentException("dlr: expected at least 3 classes, got " + k);
                }
                Integer[] idx = new Integer[k];
                for (int j = 0; j < k; j++) {
                    idx[j] = j;
                }
                Arrays.sort(idx, (a, b) -> Float.compare(z[o + b], z[o + a]));
                int best = runnerUp(z, o, k, y);
                double a = (double) z[o + y] - z[o + best];
                double b = (double) z[o + idx[0]] - z[o + idx[2]] + 1e-12;
                g[o + y] += (float) (-1 / b);
                g[o + best] += (float) (1 / b);
                g[o + idx[0]] += (float) (a / (b * b));
                g[o + idx[2]] -= (float) (a / (b * b));
                return -a / b;
            }
        };
    }

    /**
     * The targeted difference of logits ratio of Croce and Hein (2020),
     * {@code -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2 + 1e-12)} for label {@code y} and target {@code t}, with
     * {@code z_pi} the logits sorted in decreasing order: grows as the target overtakes the label. Needs at least
     * four classes.
     */
    public static Objective targetedDlr(int[] labels, int[] targets) {
        return new TargetedDlr(labels, targets);
    }

    /** The mean activation of one channel of a layer with output {@code [N,C,H,W]} or {@code [N,C]}. */
    public static Objective channelMean(String layer, int channel) {
        return new OnLayer(layer, "channel " + channel, channel, -1);
    }

    /**
     * One unit of a layer: {@code flatIndex} into the per-sample activation ({@code c*H*W + h*W + w} for
     * {@code [N,C,H,W]}, the feature for {@code [N,F]}).
     */
    public static Objective neuron(String layer, int flatIndex) {
        return new OnLayer(layer, "neuron " + flatIndex, -1, flatIndex);
    }

    /** {@code sum_i weights[i] * parts[i]}; all parts must read the same output. */
    public static Objective sum(List<Objective> parts, double[] weights) {
        return new Sum(parts, weights);
    }

    static int runnerUp(float[] z, int o, int k, int y) {
        int best = -1;
        for (int j = 0; j < k; j++) {
            if (j != y && (best < 0 || z[o + j] > z[o + best])) {
                best = j;
            }
        }
        return best;
    }

    /** Objectives on the logits with one class index per sample. */
    private abstract static class OnLogits extends Objective {
        private final String name;
        private final int[] classes;

        OnLogits(String name, int[] classes) {
            this.name = name;
            this.classes = classes.clone();
        }

        abstract double value(float[] z, int offset, int k, int y, float[] g);

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor logits) {
            logits.shape().requireRank(2, name, "logits [N,K]");
            int n = logits.dim(0);
            int k = logits.dim(1);
            if (classes.length != n) {
                throw new ShapeException(name + ": expected " + n + " class indices for logits " + logits.shape() + ", got " + classes.length);
            }
            float[] g = new float[n * k];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                if (classes[i] < 0 || classes[i] >= k) {
                    throw new IllegalArgumentException(name + ": class " + classes[i] + " of sample " + i + " is outside [0," + k + ")");
                }
                v[i] = value(logits.data(), i * k, k, classes[i], g);
            }
            return new Evaluation(v, new Tensor(logits.shape(), g));
        }

        @Override
        public Objective slice(int from, int to) {
            OnLogits self = this;
            int[] part = Arrays.copyOfRange(classes, from, to);
            return new OnLogits(name, part) {
                @Override
                double value(float[] z, int offset, int k, int y, float[] g) {
                    return self.value(z, offset, k, y, g);
                }
            };
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /** {@link #targetedDlr}: a label and a target per sample. */
    private static final class TargetedDlr extends Objective {
        private final int[] labels;
        private final int[] targets;

        TargetedDlr(int[] labels, int[] targets) {
            if (labels.length != targets.length) {
                throw new IllegalArgumentException("targeted_dlr: expected as many targets as labels, got " + targets.length + " and " + labels.length);
            }
            this.labels = labels.clone();
            this.targets = targets.clone();
        }

        @Override
        public String layer() {
            return null;
        }

        @Override
        public Evaluation evaluate(Tensor logits) {
            logits.shape().requireRank(2, "targeted_dlr", "logits [N,K]");
            int n = logits.dim(0);
            int k = logits.dim(1);
            if (labels.length != n) {
                throw new ShapeException("targeted_dlr: expected " + n + " labels for logits " + logits.shape() + ", got " + labels.length);
            }
            if (k < 4) {
                throw new IllegalArgumentException("targeted_dlr: expected at least 4 classes, got " + k);
            }
            float[] z = logits.data();
            float[] g = new float[n * k];
            double[] v = new double[n];
            Integer[] idx = new Integer[k];
            for (int i = 0; i < n; i++) {
                int o = i * k;
                int y = labels[i];
                int t = targets[i];
                if (y < 0 || y >= k || t < 0 || t >= k) {
                    throw new IllegalArgumentException("targeted_dlr: label " + y + " or target " + t + " of sample " + i + " is outside [0," + k + ")");
                }
                for (int j = 0; j < k; j++) {
                    idx[j] = j;
                }
                Arrays.sort(idx, (a, b) -> Float.compare(z[o + b], z[o + a]));
                double a = (double) z[o + y] - z[o + t];
                double b = z[o + idx[0]] - 0.5 * ((double) z[o + idx[2]] + z[o + idx[3]]) + 1e-12;
                g[o + y] += (float) (-1 / b);
                g[o + t] += (float) (1 / b);
                g[o + idx[0]] += (float) (a / (b * b));
                g[o + idx[2]] -= (float) (0.5 * a / (b * b));
                g[o + idx[3]] -= (float) (0.5 * a / (b * b));
                v[i] = -a / b;
            }
            return new Evaluation(v, new Tensor(logits.shape(), g));
        }

        @Override
        public Objective slice(int from, int to) {
            return new TargetedDlr(Arrays.copyOfRange(labels, from, to), Arrays.copyOfRange(targets, from, to));
        }

        @Override
        public String describe() {
            return "targeted_dlr";
        }
    }

    /** The mean of one channel, or one unit, of a layer's activations. */
    private static final class OnLayer extends Objective {
        private final String layer;
        private final String what;
        private final int channel;
        private final int flat;

        OnLayer(String layer, String what, int channel, int flat) {
            if (channel < -1 || flat < -1) {
                throw new IllegalArgumentException(what + ": expected a non-negative index");
            }
            this.layer = layer;
            this.what = what;
            this.channel = channel;
            this.flat = flat;
        }

        @Override
        public String layer() {
            return layer;
        }

        @Override
        public Evaluation evaluate(Tensor a) {
            Shape s = a.shape();
            int n = s.dim(0);
            int per = s.sizeFrom(1);
            float[] g = new float[a.size()];
            double[] v = new double[n];
            if (channel >= 0) {
                int c = s.dim(1);
                if (channel >= c) {
                    throw new IllegalArgumentException("layer " + layer + ": channel " + channel + " is outside [0," + c + ") of " + s);
                }
                int hw = s.rank() > 2 ? s.sizeFrom(2) : 1;
                for (int i = 0; i < n; i++) {
                    int o = i * per + channel * hw;
                    double sum = 0;
                    for (int j = 0; j < hw; j++) {
                        sum += a.data()[o + j];
                        g[o + j] = 1f / hw;
                    }
                    v[i] = sum / hw;
                }
            } else {
                if (flat >= per) {
                    throw new IllegalArgumentException("layer " + layer + ": neuron " + flat + " is outside [0," + per + ") of " + s);
                }
                for (int i = 0; i < n; i++) {
                    v[i] = a.data()[i * per + flat];
                    g[i * per + flat] = 1f;
                }
            }
            return new Evaluation(v, new Tensor(s, g));
        }

        @Override
        public Objective slice(int from, int to) {
            return this;
        }

        @Override
        public String describe() {
            return layer + " " + what;
        }
    }

    private static final class Sum extends Objective {
        private final List<Objective> parts;
        private final double[] weights;

        Sum(List<Objective> parts, double[] weights) {
            if (parts.isEmpty() || parts.size() != weights.length) {
                throw new IllegalArgumentException("sum: expected as many weights as objectives, got " + parts.size() + " and " + weights.length);
            }
            String layer = parts.get(0).layer();
            for (Objective p : parts) {
                if (!java.util.Objects.equals(layer, p.layer())) {
                    throw new IllegalArgumentException("sum: all objectives must read the same output, got " + layer + " and " + p.layer());
                }
            }
            this.parts = List.copyOf(parts);
            this.weights = weights.clone();
        }

        @Override
        public String layer() {
            return parts.get(0).layer();
        }

        @Override
        public Evaluation evaluate(Tensor output) {
            double[] v = new double[output.dim(0)];
            float[] g = new float[output.size()];
            for (int p = 0; p < parts.size(); p++) {
                Evaluation e = parts.get(p).evaluate(output);
                float w = (float) weights[p];
                for (int i = 0; i < v.length; i++) {
                    v[i] += weights[p] * e.values()[i];
                }
                float[] pg = e.gradient().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] += w * pg[i];
                }
            }
            return new Evaluation(v, new Tensor(output.shape(), g));
        }

        @Override
        public Objective slice(int from, int to) {
            return new Sum(parts.stream().map(p -> p.slice(from, to)).toList(), weights);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < parts.size(); p++) {
                b.append(p == 0 ? "" : " + ").append(weights[p]).append(" * ").append(parts.get(p).describe());
            }
            return b.toString();
        }
    }
}
