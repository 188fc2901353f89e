package dev.fovea.explain.plane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Architecture;
import dev.fovea.model.Network;
import dev.fovea.nn.Layer;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import dev.fovea.train.Evaluation;
import dev.fovea.train.TrainConfig;
import dev.fovea.train.Trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * The plane-folding view of a ReLU network (after the picture in Olah's "Neural Networks, Manifolds, and
 * Topology", 2014, and the lecture's version of it): a network {@code flatten, (linear, relu)*, linear} of the
 * own engine is trained on a 2-D {@link ToySet}, then a grid of lines over the input plane, the training points
 * and the decision regions are followed through every layer whose output has two units. An affine map shears,
 * rotates and shifts the plane; a ReLU folds everything outside the positive quadrant onto its edges; the last
 * layer's decision boundary {@code z_0 = z_1} is a straight line in the coordinates before it.
 *
 * <p>Inputs are standardised inside the network (the model's mean and std, per coordinate). Weights start as
 * He's, biases at {@link #BIAS} (a 2-unit ReLU layer whose units start off for every point never recovers). Training: Adam,
 * cosine schedule, cross-entropy, batch 32, seeded. Stage {@code 0} is the raw input plane; stage {@code k}
 * follows layer {@code k} of the network (the flatten excepted). Decision regions at a stage are the class-1
 * probability of the rest of the network on a {@code raster x raster} grid over that stage's bounding box.
 */
public final class PlaneFolding {
    /** Options, validated here; errors are {@link InvalidOptionException}s naming the component. */
    public record Config(int[] widths, int epochs, double learningRate, long seed) {
        /** The widest hidden layer: 1024 units. */
        public static final int MAX_WIDTH = 1024;

        public Config {
            if (widths.length == 0) {
                throw new InvalidOptionException("widths", "widths: expected at least one hidden layer, got none");
            }
            for (int w : widths) {
                if (w < 1 || w > MAX_WIDTH) {
                    throw new InvalidOptionException("widths", "widths: expected layer widths in [1," + MAX_WIDTH + "], got "
                            + java.util.Arrays.toString(widths));
                }
            }
            if (epochs < 1) {
                throw new InvalidOptionException("epochs", "epochs must be at least 1, got " + epochs);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new InvalidOptionException("learningRate", "learningRate must be positive, got " + learningRate);
            }
            widths = widths.clone();
        }
    }

    /**
     * One view: its name, bounding box {@code {xmin, xmax, ymin, ymax}}, the grid polylines ({@code lines}
     * vertical then {@code lines} horizontal lines of {@code samples} points, {@code x, y} interleaved), the data
     * points ({@code x, y} interleaved) and the class-1 probability on a {@code raster x raster} grid over the box,
     * row 0 at {@code ymax}.
     */
    public record Stage(String name, double[] box, int lines, int samples, float[] grid, float[] points, int raster, float[] regions) {
    }

    /** The trained network, its training accuracy and the views, stage 0 the input plane. */
    public record Result(Network network, double accuracy, List<Stage> stages) {
    }

    public static final int LINES = 17;
    public static final int SAMPLES = 120;
    public static final int RASTER = 160;
    /** Initial bias of every layer: positive, so that no 2-unit layer starts dead on the data. */
    public static final float BIAS = 0.1f;

    private PlaneFolding() {
    }

    /** The architecture {@code flatten, (linear w, relu)*, linear classes} as JSON. */
    public static Architecture architecture(int[] widths) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode a = json.createObjectNode();
        StringBuilder name = new StringBuilder("plane");
        a.put("init", "he");
        ArrayNode layers = a.putArray("layers");
        layers.addObject().put("type", "flatten");
        for (int w : widths) {
            layers.addObject().put("type", "linear").put("out_features", w);
            layers.addObject().put("type", "relu");
            name.append('-').append(w);
        }
        layers.addObject().put("type", "linear").put("out_features", "classes");
        a.put("name", name.toString());
        return Architecture.fromJson(a, name.toString());
    }

    /** Trains the network of {@code config} on {@code data} ({@code [N,2,1,1]}) and follows the plane through it. */
    public static Result run(Dataset data, Config config, Trainer.Listener listener) {
        if (!data.sampleShape().equals(Shape.of(2, 1, 1))) {
            throw new IllegalArgumentException("plane folding: expected points [N,2,1,1], got " + data.images().shape());
        }
        float[] mean = new float[2];
        float[] std = new float[2];
        int n = data.size();
        float[] xy = data.images().data();
        for (int c = 0; c < 2; c++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                s += xy[2 * i + c];
                s2 += (double) xy[2 * i + c] * xy[2 * i + c];
            }
            mean[c] = (float) (s / n);
            std[c] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n))));
        }
        Network net = Network.create(architecture(config.widths()), Shape.of(2, 1, 1), data.classNames(), mean, std, config.seed());
        for (var e : dev.fovea.model.StateDict.params(net.root())) {
            if (e.getKey().endsWith("bias")) {
                java.util.Arrays.fill(e.getValue().value().data(), BIAS);
            }
        }
        TrainConfig tc = new TrainConfig(config.epochs(), 32, (float) config.learningRate(), Optimizer.Kind.ADAM, 0.9f, false, 0f,
                Schedule.COSINE, 1, 0.1f, config.seed());
        new Trainer(tc).fit(net, data, null, listener == null ? new Trainer.Listener() { } : listener);
        double acc = Evaluation.run(net, data, 256).accuracy();
        return new Result(net, acc, stages(net, data));
    }

    /** The views of a trained network with two inputs. */
    public static List<Stage> stages(Network net, Dataset data) {
        int n = data.size();
        double[] box = box(data.images().data(), 0.25);
        float[] grid = grid(box);
        List<Layer> layers = net.root().layers();
        List<Stage> out = new ArrayList<>();
        float[] rawRaster = raster(box);
        out.add(new Stage("input", box, LINES, SAMPLES, grid, data.images().data().clone(), RASTER,
                classOne(net, layers, 1, normalize(net, rawRaster))));
        Tensor g = normalize(net, grid);
        Tensor p = normalize(net, data.images().data());
        g = layers.get(0).forward(g, false);
        p = layers.get(0).forward(p, false);
        for (int k = 1; k < layers.size(); k++) {
            Layer l = layers.get(k);
            g = l.forward(g, false);
            p = l.forward(p, false);
            if (g.dim(1) != 2) {
                continue;
            }
            double[] b = box(concat(g.data(), p.data()), 0.1);
            float[] r = raster(b);
            float[] regions = classOne(net, layers, k + 1, Tensor.of(r, r.length / 2, 2));
            String name = (l.type().equals("linear") ? (k == layers.size() - 1 ? "logits" : "affine") : l.type()) + " " + (k + 1) / 2;
            out.add(new Stage(k == layers.size() - 1 ? "logits" : name, b, LINES, SAMPLES, g.data().clone(), p.data().clone(), RASTER, regions));
        }
        if (n == 0) {
            throw new IllegalArgumentException("plane folding: expected points, got none");
        }
        return out;
    }

    /** Class-1 probability of layers {@code from..} applied to {@code [M,2]} (or {@code [M,2,1,1]} for from == 1) points. */
    private static float[] classOne(Network net, List<Layer> layers, int from, Tensor x) {
        Tensor y = x;
        for (int k = from == 1 ? 0 : from; k < layers.size(); k++) {
            y = layers.get(k).forward(y, false);
        }
        int m = y.dim(0);
        int c = y.dim(1);
        float[] out = new float[m];
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, y.data()[i * c + j]);
            }
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(y.data()[i * c + j] - max);
            }
            out[i] = (float) (Math.exp(y.data()[i * c + 1] - max) / s);
        }
        return out;
    }

    private static Tensor normalize(Network net, float[] xy) {
        int m = xy.length / 2;
        float[] out = new float[xy.length];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < 2; c++) {
                out[2 * i + c] = (xy[2 * i + c] - net.info().meanOf(c)) / net.info().stdOf(c);
            }
        }
        return Tensor.of(out, m, 2, 1, 1);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bounding box of interleaved points, widened by {@code margin} of its size (and to a non-empty box). */
    static double[] box(float[] xy, double margin) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i + 1 < xy.length; i += 2) {
            b[0] = Math.min(b[0], xy[i]);
            b[1] = Math.max(b[1], xy[i]);
            b[2] = Math.min(b[2], xy[i + 1]);
            b[3] = Math.max(b[3], xy[i + 1]);
        }
        double wx = Math.max(b[1] - b[0], 1e-3);
        double wy = Math.max(b[3] - b[2], 1e-3);
        return new double[] {b[0] - margin * wx, b[1] + margin * wx, b[2] - margin * wy, b[3] + margin * wy};
    }

    private static float[] grid(double[] b) {
        float[] g = new float[2 * LINES * SAMPLES * 2];
        int o = 0;
        for (int dir = 0; dir < 2; dir++) {
            for (int l = 0; l < LINES; l++) {
                double f = l / (double) (LINES - 1);
                for (int s = 0; s < SAMPLES; s++) {
                    double t = s / (double) (SAMPLES - 1);
                    g[o++] = (float) (dir == 0 ? b[0] + f * (b[1] - b[0]) : b[0] + t * (b[1] - b[0]));
                    g[o++] = (float) (dir == 0 ? b[2] + t * (b[3] - b[2]) : b[2] + f * (b[3] - b[2]));
                }
            }
        }
        return g;
    }

    private static float[] raster(double[] b) {
        float[] r = new float[RASTER * RASTER * 2];
        for (int i = 0; i < RASTER; i++) {
            for (int j = 0; j < RASTER; j++) {
                int o = 2 * (i * RASTER + j);
                r[o] = (float) (b[0] + (j + 0.5) / RASTER * (b[1] - b[0]));
                r[o + 1] = (float) (b[3] - (i + 0.5) / RASTER * (b[3] - b[2]));
            }
        }
        return r;
    }
}
