package dev.fovea.attacks.certify;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The statistics of randomized smoothing, on commons-math3: the one-sided Clopper-Pearson lower bound, the
 * two-sided binomial test against 1/2 and the radius {@code sigma * Phi^-1(p)}.
 *
 * <p>Clopper &amp; Pearson (Biometrika 1934): for {@code k} successes in {@code n} trials the lower bound at
 * confidence {@code 1 - alpha} is the {@code alpha} quantile of {@code Beta(k, n - k + 1)}, 0 for {@code k = 0}
 * and {@code alpha^(1/n)} in closed form for {@code k = n}; Cohen et al.'s
 * {@code proportion_confint(k, n, alpha=2*alpha, method="beta")[0]}. The quantile is solved to an absolute
 * accuracy of 1e-15; the normal quantile is commons-math3's ({@code erfInv}). Checked against SciPy's {@code beta.ppf}, {@code binomtest} and {@code norm.ppf}
 * ({@code fixtures/make_certify_golden.py}).
 */
public final class Binomial {
    /** Absolute accuracy of the beta quantile. */
    static final double QUANTILE_ACCURACY = 1e-15;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Binomial() {
    }

    /** The Clopper-Pearson lower bound on the success probability at confidence {@code 1 - alpha}. */
    public static double lowerBound(int k, int n, double alpha) {
        check("lowerBound", k, n);
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("lowerBound: expected alpha in (0,1), got " + alpha);
        }
        if (k == 0) {
            return 0;
        }
        if (k == n) {
            return Math.pow(alpha, 1.0 / n);
        }
        return new BetaDistribution(null, k, n - k + 1, QUANTILE_ACCURACY).inverseCumulativeProbability(alpha);
    }

    /**
     * The two-sided p-value of {@code k} successes in {@code n} trials against success probability 1/2: the
     * probability of an outcome no more likely than {@code k}, which by symmetry is
     * {@code min(1, 2 P(X <= min(k, n - k)))} (SciPy's {@code binomtest}, Cohen et al.'s {@code binom_test}).
     * Not commons-math3's {@code BinomialTest}, whose two-sided value (3.6.1) leaves out part of the tail: 0.046
     * for 60 of 100, where the probability is 0.0569.
     */
    public static double pValue(int k, int n) {
        check("pValue", k, n);
        if (n == 0) {
            return 1;
        }
        return Math.min(1, 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(Math.min(k, n - k)));
    }

    /** {@code sigma * Phi^-1(p)}: the certified radius for a lower bound {@code p >= 1/2} (0 at 1/2). */
    public static double radius(double sigma, double p) {
        if (!(p >= 0.5 && p < 1)) {
            throw new IllegalArgumentException("radius: expected a probability in [0.5,1), got " + p);
        }
        return sigma * STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    private static void check(String where, int k, int n) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException(where + ": expected 0 <= k <= n, got k = " + k + ", n = " + n);
        }
    }
}
