package dev.fovea.explain;

/**
 * Points and weights on [0,1] of the quadrature rules of {@link IntegratedGradients.Rule}; the weights sum to 1.
 * Gauss-Legendre nodes are the roots of the Legendre polynomial {@code P_m}, found by Newton's method from
 * Tricomi's initial guesses, with weights {@code 2 / ((1 - z^2) P_m'(z)^2)}, mapped from [-1,1] (as
 * {@code numpy.polynomial.legendre.leggauss}).
 */
final class Quadrature {
    final double[] points;
    final double[] weights;

    private Quadrature(double[] points, double[] weights) {
        this.points = points;
        this.weights = weights;
    }

    static Quadrature of(IntegratedGradients.Rule rule, int m) {
        double[] a = new double[m];
        double[] w = new double[m];
        switch (rule) {
            case LEFT, RIGHT, MIDDLE -> {
                double shift = rule == IntegratedGradients.Rule.LEFT ? 0 : rule == IntegratedGradients.Rule.RIGHT ? 1 : 0.5;
                for (int k = 0; k < m; k++) {
                    a[k] = (k + shift) / m;
                    w[k] = 1.0 / m;
                }
            }
            case TRAPEZOID -> {
                for (int k = 0; k < m; k++) {
                    a[k] = (double) k / (m - 1);
                    w[k] = (k == 0 || k == m - 1 ? 0.5 : 1.0) / (m - 1);
                }
            }
            case GAUSS_LEGENDRE -> gaussLegendre(m, a, w);
            default -> throw new IllegalArgumentException("quadrature: unknown rule " + rule);
        }
        return new Quadrature(a, w);
    }

    private static void gaussLegendre(int m, double[] a, double[] w) {
        for (int i = 0; i < (m + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (m + 0.5));
            double pp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p1 = 1;
                double p2 = 0;
                for (int j = 1; j <= m; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
                }
                pp = m * (z * p1 - p2) / (z * z - 1);
                double dz = p1 / pp;
                z -= dz;
                if (Math.abs(dz) < 1e-15) {
                    break;
                }
            }
            double weight = 2 / ((1 - z * z) * pp * pp);
            // z is the i-th largest root; -z its mirror. Map t in [-1,1] to a = (t + 1) / 2, weight / 2.
            a[i] = (1 - z) / 2;
            a[m - 1 - i] = (1 + z) / 2;
            w[i] = weight / 2;
            w[m - 1 - i] = weight / 2;
        }
    }
}
