package dev.fovea.explain.visualize;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

/**
 * How activation maximisation represents the image it optimises: parameters {@code p} from which the pixels
 * {@code x = image(p)} (in {@code [0,1]}, {@code [N,C,H,W]}) follow, with the chain rule back to {@code p}.
 * {@link #PIXELS}: {@code x = sigmoid(p)}, one parameter per pixel. {@link #FOURIER}: {@link FourierImage}.
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
    public Tensor image(Tensor p, Shape imageShape, double decay) {
        Tensor z = this == PIXELS ? p : FourierImage.of(imageShape, decay).apply(p);
        float[] d = z.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-d[i])));
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
