package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Occlusion of Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks" (ECCV 2014): a
 * {@code window x window} square of all channels, set to {@code baselineValue} (default 0; the paper uses gray),
 * slides over the image with step {@code stride} (defaults 4 and 2); each position's score drop
 * {@code S_t(x) - S_t(x with the square)} is credited to the pixels under the square, and each pixel's value is
 * the mean drop over the positions covering it. Score: the target's logit or probability ({@code score}).
 * Positions start at 0 in steps of {@code stride}, plus one flush with the bottom and right edges when the steps
 * miss them, so every pixel is covered (Captum leaves such pixels at 0); a {@code stride} larger than the
 * {@code window} would leave gaps between the squares, and is refused. The {@code N * positions} occluded copies
 * are evaluated in chunks of {@code batchSize}. Signed (occluding can raise the score). Input {@code [N,C,H,W]}, maps
 * {@code [N,1,H,W]}. Options: {@link Options}.
 */
public final class Occlusion extends Attribution {
    /**
     * Occlusion's options: the {@code window} side and the {@code stride} in pixels (each {@code >= 1}, the stride at
     * most the window, so that every pixel is covered: a larger stride is refused, not filled in; the window must fit
     * in the image, checked against the input) and the finite {@code baselineValue} that fills the window.
     */
    public record Options(int window, int stride, @JsonProperty("baseline_value") double baselineValue) implements AttributionOptions {
        /** A 4x4 window at stride 2, filled with 0. */
        public static final Options DEFAULTS = new Options(4, 2, 0.0);

        public Options {
            if (window < 1) {
                throw new InvalidOptionException("window", "window must be >= 1, got " + window);
            }
            if (stride < 1) {
                throw new InvalidOptionException("stride", "stride must be >= 1, got " + stride);
            }
            if (stride > window) {
                throw new InvalidOptionException("stride", "stride must be at most window, got " + stride + " > " + window
                        + " (a larger step leaves pixels that no position of the square covers)", "window");
            }
            if (!Double.isFinite(baselineValue)) {
                throw new InvalidOptionException("baselineValue", "baselineValue must be finite, got " + baselineValue);
            }
        }

        public Options withWindow(int w, int s) {
            return new Options(w, s, baselineValue);
        }

        public Options withBaselineValue(double v) {
            return new Options(window, stride, v);
        }
    }

    Occlusion() {
    }

    @Override
    public String name() {
        return "occlusion";
    }

    @Override
    public String describe() {
        return "Occlusion, Zeiler & Fergus 2014: mean score drop when a --window square (--stride, --baseline-value) hides each pixel; the "
                + "stride at most the window, so every pixel is covered. Signed, [N,1,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.PIXEL;
    }

    @Override
    public boolean manyRowsPerSample() {
        return true;
    }

    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    @Override
    public List<OptionInfo> optionInfo() {
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.of("window", "int", d.window(), "side of the square hidden, in pixels"),
                OptionInfo.of("stride", "int", d.stride(), "step of the square, in pixels (at most window)"),
                OptionInfo.of("baselineValue", "double", d.baselineValue(), "value of the hidden pixels"));
    }

    @Override
    protected Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.integer("window", d.window()), v.integer("stride", d.stride()), v.real("baselineValue", d.baselineValue()));
    }

    @Override
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        Options o = (Options) options;
        int h = x.dim(2);
        int w = x.dim(3);
        if (o.window() > h || o.window() > w) {
            throw new InvalidOptionException("window", "window " + o.window() + " is larger than the image (" + h + "x" + w + ")");
        }
        return o;
    }

    /** Top (or left) edges of the window along a side of {@code size} pixels. */
    static int[] positions(int size, int window, int stride) {
        int count = (size - window) / stride + 1;
        boolean flush = (size - window) % stride != 0;
        int[] p = new int[count + (flush ? 1 : 0)];
        for (int i = 0; i < count; i++) {
            p[i] = i * stride;
        }
        if (flush) {
            p[count] = size - window;
        }
        return p;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        Options o = (Options) cfg.options();
        int win = o.window();
        int[] ys = positions(h, win, o.stride());
        int[] xs = positions(w, win, o.stride());
        int pos = ys.length * xs.length;
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batchSize());
        double[] sum = new double[n * h * w];
        int[] count = new int[h * w];
        for (int y0 : ys) {
            for (int x0 : xs) {
                for (int y = y0; y < y0 + win; y++) {
                    for (int xx = x0; xx < x0 + win; xx++) {
                        count[y * w + xx]++;
                    }
                }
            }
        }
        float fill = (float) o.baselineValue();
        Rows.scores(model, n * pos, cfg, r -> targets[r / pos], (r, d, off) -> {
            Rows.copy(x, r / pos, d, off);
            int y0 = ys[(r % pos) / xs.length];
            int x0 = xs[(r % pos) % xs.length];
            for (int ch = 0; ch < c; ch++) {
                for (int y = y0; y < y0 + win; y++) {
                    java.util.Arrays.fill(d, off + (ch * h + y) * w + x0, off + (ch * h + y) * w + x0 + win, fill);
                }
            }
        }, (r, s) -> {
            int i = r / pos;
            int y0 = ys[(r % pos) / xs.length];
            int x0 = xs[(r % pos) % xs.length];
            double drop = scores[i] - s;
            for (int y = y0; y < y0 + win; y++) {
                for (int xx = x0; xx < x0 + win; xx++) {
                    sum[i * h * w + y * w + xx] += drop;
                }
            }
        });
        Tensor out = Tensor.zeros(kind().shape(x.shape()));
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < h * w; p++) {
                out.data()[i * h * w + p] = (float) (sum[i * h * w + p] / count[p]);
            }
        }
        return new AttributionResult(out, scores, null, null);
    }
}
