package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Occlusion of Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks" (ECCV 2014): a
 * {@code window x window} square of all channels, set to {@code baselineValue} (default 0; the paper uses gray),
 * slides over the image with step {@code stride} (defaults 4 and 2); each position's score drop
 * {@code S_t(x) - S_t(x with the square)} is credited to the pixels under the square, and each pixel's value is
 * the mean drop over the positions covering it. Score: the target's logit or probability ({@code score}).
 * Positions start at 0 in steps of {@code stride}, plus one flush with the bottom and right edges when the steps
 * miss them, so every pixel is covered (Captum leaves such pixels at 0). The {@code N * positions} occluded copies
 * are evaluated in chunks of {@code batch}. Signed (occluding can raise the score). Input {@code [N,C,H,W]}, maps
 * {@code [N,1,H,W]}.
 */
final class Occlusion extends Attribution {
    @Override
    public String name() {
        return "occlusion";
    }

    @Override
    public String describe() {
        return "Occlusion, Zeiler & Fergus 2014: mean score drop when a --window square (--stride, --baseline-value) hides each pixel. "
                + "Signed, [N,1,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.PIXEL;
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
        int win = cfg.window();
        if (win > h || win > w) {
            throw new IllegalArgumentException("--window " + win + " is larger than the image (" + h + "x" + w + ")");
        }
        int[] ys = positions(h, win, cfg.stride());
        int[] xs = positions(w, win, cfg.stride());
        int pos = ys.length * xs.length;
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batch());
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
        float fill = (float) cfg.baselineValue();
        Rows.scores(model, n * pos, cfg, r -> targets[r / pos], (r, d, o) -> {
            Rows.copy(x, r / pos, d, o);
            int y0 = ys[(r % pos) / xs.length];
            int x0 = xs[(r % pos) % xs.length];
            for (int ch = 0; ch < c; ch++) {
                for (int y = y0; y < y0 + win; y++) {
                    java.util.Arrays.fill(d, o + (ch * h + y) * w + x0, o + (ch * h + y) * w + x0 + win, fill);
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
