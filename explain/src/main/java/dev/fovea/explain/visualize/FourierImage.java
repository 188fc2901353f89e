package dev.fovea.explain.visualize;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * The Fourier image parameterisation of Olah et al. (2017, "Feature Visualization", Distill; Lucid's
 * {@code fft_image}): each plane is the real part of an inverse discrete Fourier transform of a complex spectrum
 * {@code a + ib} whose coefficients are scaled by {@code 1 / max(f, 1/max(H,W))^decay}, {@code f} the frequency
 * in cycles per pixel:
 * <pre>
 *   z[h,w] = 1/sqrt(HW) * sum_{u,v} s[u,v] * (a[u,v] cos t - b[u,v] sin t),   t = 2 pi (u h / H + v w / W)
 * </pre>
 * Gradient steps of equal size on every coefficient then change low frequencies more than high ones, which
 * decorrelates the pixels and keeps the ascent from filling the image with high-frequency noise.
 *
 * <p>Parameters {@code [N,C,2,H,W]} ({@code a} then {@code b}); image {@code [N,C,H,W]}. Deviation from Lucid:
 * the full complex spectrum is kept (twice as many parameters as a real FFT's half spectrum, the same image
 * space), so no Hermitian bookkeeping is needed; the transform is computed separably in {@code O(HW(H+W))}.
 * {@link #adjoint} is the exact transpose of {@link #apply}.
 */
public final class FourierImage {
    private final Shape image;
    private final float[] scale;
    private final double[] cosH;
    private final double[] sinH;
    private final double[] cosW;
    private final double[] sinW;

    private FourierImage(Shape image, double decay) {
        image.requireRank(4, "fourier image", "[N,C,H,W]");
        this.image = image;
        int h = image.dim(2);
        int w = image.dim(3);
        scale = new float[h * w];
        double floor = 1.0 / Math.max(h, w);
        double norm = 1 / Math.sqrt((double) h * w);
        for (int u = 0; u < h; u++) {
            for (int v = 0; v < w; v++) {
                double fy = Math.min(u, h - u) / (double) h;
                double fx = Math.min(v, w - v) / (double) w;
                double f = Math.sqrt(fy * fy + fx * fx);
                scale[u * w + v] = (float) (norm / Math.pow(Math.max(f, floor), decay));
            }
        }
        cosH = table(h, true);
        sinH = table(h, false);
        cosW = table(w, true);
        sinW = table(w, false);
    }

    /** The transform for images of {@code imageShape}; {@code decay} is the exponent of {@code 1/f} (1 in Lucid). */
    public static FourierImage of(Shape imageShape, double decay) {
        if (!(decay >= 0) || !Double.isFinite(decay)) {
            throw new IllegalArgumentException("fourier image: expected a decay >= 0, got " + decay);
        }
        return new FourierImage(imageShape, decay);
    }

    /** {@code [N,C,2,H,W]} for images {@code [N,C,H,W]}. */
    public static Shape parameterShape(Shape image) {
        image.requireRank(4, "fourier image", "[N,C,H,W]");
        return Shape.of(image.dim(0), image.dim(1), 2, image.dim(2), image.dim(3));
    }

    private static double[] table(int n, boolean cos) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = 2 * Math.PI * ((long) i * j % n) / n;
                t[i * n + j] = cos ? Math.cos(a) : Math.sin(a);
            }
        }
        return t;
    }

    /**
     * The spectrum of the planes blurred circularly by a Gaussian of {@code sigma} pixels: each coefficient times
     * the Gaussian's transfer function {@code exp(-2 pi^2 sigma^2 f^2)}.
     */
    public Tensor blur(Tensor p, double sigma) {
        if (!p.shape().equals(parameterShape(image))) {
            throw new ShapeException("fourier image blur: expected parameters " + parameterShape(image) + ", got " + p.shape());
        }
        int h = image.dim(2);
        int w = image.dim(3);
        float[] out = p.data().clone();
        for (int i = 0; i < out.length; i++) {
            int u = i / w % h;
            int v = i % w;
            double fy = Math.min(u, h - u) / (double) h;
            double fx = Math.min(v, w - v) / (double) w;
            out[i] *= (float) Math.exp(-2 * Math.PI * Math.PI * sigma * sigma * (fy * fy + fx * fx));
        }
        return new Tensor(p.shape(), out);
    }

    /** The planes {@code z} (before the sigmoid) from the spectrum parameters {@code p}. */
    public Tensor apply(Tensor p) {
        if (!p.shape().equals(parameterShape(image))) {
            throw new ShapeException("fourier image: expected parameters " + parameterShape(image) + ", got " + p.shape());
        }
        int h = image.dim(2);
        int w = image.dim(3);
        int planes = image.dim(0) * image.dim(1);
        float[] in = p.data();
        float[] out = new float[image.size()];
        double[] tr = new double[h * w];
        double[] ti = new double[h * w];
        for (int q = 0; q < planes; q++) {
            int ao = q * 2 * h * w;
            int bo = ao + h * w;
            // T[u,x] = sum_v (A + iB)[u,v] e^{i 2 pi v x / W}
            for (int u = 0; u < h; u++) {
                for (int x = 0; x < w; x++) {
                    double re = 0;
                    double im = 0;
                    for (int v = 0; v < w; v++) {
                        double s = scale[u * w + v];
                        double a = s * in[ao + u * w + v];
                        double b = s * in[bo + u * w + v];
                        double c = cosW[v * w + x];
                        double sn = sinW[v * w + x];
                        re += a * c - b * sn;
                        im += a * sn + b * c;
                    }
                    tr[u * w + x] = re;
                    ti[u * w + x] = im;
                }
            }
            // z[y,x] = Re sum_u e^{i 2 pi u y / H} T[u,x]
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double z = 0;
                    for (int u = 0; u < h; u++) {
                        z += cosH[u * h + y] * tr[u * w + x] - sinH[u * h + y] * ti[u * w + x];
                    }
                    out[q * h * w + y * w + x] = (float) z;
                }
            }
        }
        return new Tensor(image, out);
    }

    /** The gradient with respect to the spectrum parameters from the gradient {@code g} with respect to the planes. */
    public Tensor adjoint(Tensor g) {
        if (!g.shape().equals(image)) {
            throw new ShapeException("fourier image adjoint: expected " + image + ", got " + g.shape());
        }
        int h = image.dim(2);
        int w = image.dim(3);
        int planes = image.dim(0) * image.dim(1);
        float[] in = g.data();
        float[] out = new float[2 * image.size()];
        double[] gr = new double[h * w];
        double[] gi = new double[h * w];
        for (int q = 0; q < planes; q++) {
            int go = q * h * w;
            for (int u = 0; u < h; u++) {
                for (int x = 0; x < w; x++) {
                    double re = 0;
                    double im = 0;
                    for (int y = 0; y < h; y++) {
                        double v = in[go + y * w + x];
                        re += v * cosH[u * h + y];
                        im -= v * sinH[u * h + y];
                    }
                    gr[u * w + x] = re;
                    gi[u * w + x] = im;
                }
            }
            int ao = q * 2 * h * w;
            int bo = ao + h * w;
            for (int u = 0; u < h; u++) {
                for (int v = 0; v < w; v++) {
                    double da = 0;
                    double db = 0;
                    for (int x = 0; x < w; x++) {
                        double c = cosW[v * w + x];
                        double sn = sinW[v * w + x];
                        da += gr[u * w + x] * c + gi[u * w + x] * sn;
                        db += -gr[u * w + x] * sn + gi[u * w + x] * c;
                    }
                    double s = scale[u * w + v];
                    out[ao + u * w + v] = (float) (s * da);
                    out[bo + u * w + v] = (float) (s * db);
                }
            }
        }
        return new Tensor(parameterShape(image), out);
    }
}
