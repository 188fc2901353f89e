package dev.fovea.explain.visualize;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * How activation maximisation represents the image it optimises: parameters {@code p} from which the pixels
 * {@code x = image(p)} (in {@code [0,1]}, {@code [N,C,H,W]}) follow, with the chain rule back to {@code p}.
 * {@link #PIXELS}: {@code x = sigmoid(p + logit(start))}, one parameter per pixel; {@link #FOURIER}:
 * {@code x = sigmoid(F(p) + logit(start))} with {@code F} a {@link FourierImage}. Parameters near zero give
 * images near the grey level {@code start}, or near a given base image (the data's mean image, as Nguyen et
 * al. 2016 start from).
 */
public enum Parameterization {
    PIXELS, FOURIER;

    /** The parameter tensor of {@code n} images of per-sample shape {@code [C,H,W]}, drawn from {@code seed}. */
    public Tensor init(Shape sample, int n, double sd, long seed) {
        Shape s = this == PIXELS ? sample.withBatch(n) : FourierImage.parameterShape(sample.withBatch(n));
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (sd * gaussian(r));
        }
        return new Tensor(s, d);
    }

    /** The pixels of the images that {@code p} describes. */
    public Tensor image(Tensor p, Shape imageShape, double decay, double start) {
        float[] base = new float[imageShape.sizeFrom(1)];
        java.util.Arrays.fill(base, (float) start);
        return image(p, imageShape, decay, base);
    }

    /**
     * The pixels of the images that {@code p} describes around a base image {@code [C,H,W]} (values in (0,1),
     * clamped to {@code [0.01, 0.99]}): parameters near zero give images near the base.
     */
    public Tensor image(Tensor p, Shape imageShape, double decay, float[] base) {
        Tensor z = this == PIXELS ? p : FourierImage.of(imageShape, decay).apply(p);
        float[] d = z.data();
        float[] out = new float[d.length];
        int per = base.length;
        if (d.length % per != 0) {
            throw new IllegalArgumentException("parameterisation: expected a base image of " + imageShape.tail() + ", got " + per + " values");
        }
        double[] offset = new double[per];
        for (int i = 0; i < per; i++) {
            double b = Math.min(0.99, Math.max(0.01, base[i]));
            offset[i] = Math.log(b / (1 - b));
        }
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-(d[i] + offset[i % per]))));
        }
        return new Tensor(imageShape, out);
    }

    /** The gradient with respect to {@code p}, from the gradient with respect to the pixels {@code x = image(p)}. */
    public Tensor backward(Tensor x, Tensor gradImage, Shape paramShape, double decay) {
        float[] xs = x.data();
        float[] g = gradImage.data();
        float[] gz = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gz[i] = g[i] * xs[i] * (1 - xs[i]);
        }
        Tensor gzt = new Tensor(x.shape(), gz);
        return this == PIXELS ? gzt : FourierImage.of(x.shape(), decay).adjoint(gzt);
    }

    static double gaussian(java.util.SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
