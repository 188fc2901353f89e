package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Reference inputs for path methods, {@code [N,C,H,W]} like the input: black (every value at the lower bound),
 * blurred (each channel convolved with a Gaussian of {@link #BLUR_SIGMA} pixels, borders repeated: an image with
 * the details removed, Sturmfels, Lundberg and Lee, "Visualizing the Impact of Feature Attribution Baselines",
 * Distill 2020), uniform noise in the pixel box (seeded per sample), or a given image ({@code [C,H,W]}, shared by
 * all samples, or {@code [N,C,H,W]}).
 */
public final class Baselines {
    /** Standard deviation, in pixels, of the blurred baseline's Gaussian. */
    public static final double BLUR_SIGMA = 5.0;

    private Baselines() {
    }

    /**
     * The baseline of {@code kind} for {@code x} {@code [N,C,H,W]} in the pixel box {@code bounds}; {@code image}
     * is the given one for {@link IntegratedGradients.Baseline#IMAGE} (see {@link #checkImage}) and ignored
     * otherwise, {@code seed} the uniform noise's.
     */
    public static Tensor of(IntegratedGradients.Baseline kind, Tensor image, long seed, Tensor x, float[] bounds) {
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        return switch (kind) {
            case BLACK -> Tensor.full(x.shape(), bounds[0]);
            case BLURRED -> blur(x, BLUR_SIGMA);
            case UNIFORM -> {
                float[] d = new float[n * per];
                for (int i = 0; i < n; i++) {
                    SplittableRandom r = new SplittableRandom(Rows.seed(seed, i, -1));
                    for (int j = 0; j < per; j++) {
                        d[i * per + j] = (float) (bounds[0] + (bounds[1] - bounds[0]) * r.nextDouble());
                    }
                }
                yield new Tensor(x.shape(), d);
            }
            case IMAGE -> {
                checkImage(image, x);
                if (image.shape().rank() == 3) {
                    float[] d = new float[n * per];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(image.data(), 0, d, i * per, per);
                    }
                    yield new Tensor(x.shape(), d);
                }
                yield image.copy();
            }
        };
    }

    /** That {@code image}, the option {@code baselineImage}, is {@code [C,H,W]} of {@code x}'s samples or {@code [N,C,H,W]} like {@code x}. */
    public static void checkImage(Tensor image, Tensor x) {
        if (image == null) {
            throw new InvalidOptionException("baselineImage", "baselineImage: expected an image " + x.shape().tail() + " or " + x.shape()
                    + " for baseline image, got none");
        }
        if (!image.shape().equals(x.shape().tail()) && !image.shape().equals(x.shape())) {
            throw new InvalidOptionException("baselineImage", "baselineImage: expected " + x.shape().tail() + " or " + x.shape() + ", got " + image.shape());
        }
    }

    /** Each {@code H x W} plane of {@code [N,C,H,W]} blurred by a Gaussian (radius {@code ceil(3 sigma)}, edges repeated). */
    public static Tensor blur(Tensor x, double sigma) {
        int h = x.dim(2);
        int w = x.dim(3);
        int rad = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * rad + 1];
        double total = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = Math.exp(-i * i / (2 * sigma * sigma));
            total += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        float[] src = x.data();
        float[] out = new float[src.length];
        double[] tmp = new double[h * w];
        for (int p = 0; p < src.length / (h * w); p++) {
            int o = p * h * w;
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    double s = 0;
                    for (int t = -rad; t <= rad; t++) {
                        s += k[t + rad] * src[o + y * w + Math.max(0, Math.min(w - 1, c + t))];
                    }
                    tmp[y * w + c] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int c = 0; c < w; c++) {
                    double s = 0;
                    for (int t = -rad; t <= rad; t++) {
                        s += k[t + rad] * tmp[Math.max(0, Math.min(h - 1, y + t)) * w + c];
                    }
                    out[o + y * w + c] = (float) s;
                }
            }
        }
        return new Tensor(x.shape(), out);
    }
}
