package dev.fovea.attacks.certify;

import dev.fovea.method.InvalidOptionException;

/**
 * The options of {@link RandomizedSmoothing}, validated here with their library names.
 *
 * <p>Cohen et al. certify with {@code n0 = 100} selection draws, {@code n = 100,000} estimation draws and
 * {@code alpha = 0.001} ({@link #paper(double)}); fovea's defaults ({@link #defaults(double)}) keep {@code n0} and
 * {@code alpha} and draw {@code n = 1,000}, a hundredth of the cost: with every draw agreeing the largest radius
 * {@code n} allows is {@code sigma * Phi^-1(alpha^(1/n))}, 2.46 sigma at {@code n = 1,000} against 3.81 sigma at
 * 100,000, so the certified accuracy is the same at small radii and cut off sooner at large ones.
 *
 * @param sigma the noise's standard deviation in pixel units ({@code [0,1]} images), positive and finite (the paper:
 *              0.12, 0.25, 0.50, 1.00)
 * @param n0 draws that select the class to certify, at least 1
 * @param n draws that estimate its probability (and PREDICT's draws), at least 1
 * @param alpha the failure probability, in {@code (0,1)}: a certificate is wrong, or a prediction that does not
 *              abstain differs from the smoothed classifier's, with probability at most {@code alpha}
 * @param seed the seed of every noise draw
 */
public record SmoothingOptions(double sigma, int n0, int n, double alpha, long seed) {
    public static final int DEFAULT_N0 = 100;
    public static final int DEFAULT_N = 1_000;
    public static final int PAPER_N = 100_000;
    public static final double DEFAULT_ALPHA = 0.001;

    public SmoothingOptions {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new InvalidOptionException("sigma", "sigma must be a positive number (pixel units), got " + sigma);
        }
        if (n0 < 1) {
            throw new InvalidOptionException("n0", "n0 must be at least 1, got " + n0);
        }
        if (n < 1) {
            throw new InvalidOptionException("n", "n must be at least 1, got " + n);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidOptionException("alpha", "alpha must be in (0,1), got " + alpha);
        }
    }

    /** fovea's defaults at {@code sigma}: {@code n0 = 100}, {@code n = 1,000}, {@code alpha = 0.001}, seed 0. */
    public static SmoothingOptions defaults(double sigma) {
        return new SmoothingOptions(sigma, DEFAULT_N0, DEFAULT_N, DEFAULT_ALPHA, 0L);
    }

    /** Cohen et al.'s at {@code sigma}: {@code n0 = 100}, {@code n = 100,000}, {@code alpha = 0.001}, seed 0. */
    public static SmoothingOptions paper(double sigma) {
        return new SmoothingOptions(sigma, DEFAULT_N0, PAPER_N, DEFAULT_ALPHA, 0L);
    }

    public SmoothingOptions withSigma(double s) {
        return new SmoothingOptions(s, n0, n, alpha, seed);
    }

    public SmoothingOptions withN0(int v) {
        return new SmoothingOptions(sigma, v, n, alpha, seed);
    }

    public SmoothingOptions withN(int v) {
        return new SmoothingOptions(sigma, n0, v, alpha, seed);
    }

    public SmoothingOptions withAlpha(double a) {
        return new SmoothingOptions(sigma, n0, n, a, seed);
    }

    public SmoothingOptions withSeed(long s) {
        return new SmoothingOptions(sigma, n0, n, alpha, s);
    }

    /** The largest radius {@code n} draws can certify: {@code sigma * Phi^-1(alpha^(1/n))}, every draw agreeing. */
    public double largestRadius() {
        return Binomial.radius(sigma, Binomial.lowerBound(n, n, alpha));
    }
}
