package dev.fovea.explain;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The weighted linear models that LIME and KernelSHAP fit to the model's scores on binary feature vectors, with an
 * intercept, as Captum's {@code SkLearnLasso}, {@code SkLearnRidge} and {@code SkLearnLinearRegression} have
 * scikit-learn fit them with {@code sample_weight}. The rows {@code z_i} and scores {@code y_i} are centred by their
 * weighted means (the intercept's optimum), then:
 * <ul>
 *   <li>{@link Lime.Surrogate#LINEAR}: {@code min ||W^1/2 (y - Z b)||^2}, the least-norm solution when {@code Z} has less than
 *       full rank (fewer samples than features), by singular value decomposition (commons-math3), as
 *       scikit-learn's {@code lstsq};</li>
 *   <li>{@link Lime.Surrogate#RIDGE}: {@code min sum_i w_i r_i^2 + alpha ||b||^2}, by Cholesky (commons-math3);</li>
 *   <li>{@link Lime.Surrogate#LASSO}: {@code min (1/2) sum_i (w_i / sum w) r_i^2 + alpha ||b||_1} (scikit-learn's objective
 *       after it rescales the weights to sum to the sample count), by cyclic coordinate descent from zero, as
 *       scikit-learn does, run until no coefficient moves by more than {@code 1e-10 (1 + max|b|)} or for
 *       {@value #MAX_SWEEPS} sweeps. Deviation: scikit-learn stops earlier, at a duality gap of {@code 1e-4}.</li>
 * </ul>
 */
final class LinearSurrogate {
    static final int MAX_SWEEPS = 10_000;

    private LinearSurrogate() {
    }

    /** The coefficients of features {@code [p]} fitted to rows {@code z} {@code [m][p]} (0 or 1), scores {@code y} and weights {@code w}. */
    static double[] fit(boolean[][] z, double[] y, double[] w, Lime.Surrogate kind, double alpha) {
        int m = z.length;
        int p = m == 0 ? 0 : z[0].length;
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] zbar = new double[p];
        double ybar = 0;
        for (int i = 0; i < m; i++) {
            double v = w[i] / total;
            ybar += v * y[i];
            for (int j = 0; j < p; j++) {
                zbar[j] += z[i][j] ? v : 0;
            }
        }
        double[][] a = new double[m][p];
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            double s = Math.sqrt(kind == Lime.Surrogate.LASSO ? w[i] / total : w[i]);
            b[i] = s * (y[i] - ybar);
            for (int j = 0; j < p; j++) {
                a[i][j] = s * ((z[i][j] ? 1 : 0) - zbar[j]);
            }
        }
        return switch (kind) {
            case LINEAR -> new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getSolver().solve(new ArrayRealVector(b, false)).toArray();
            case RIDGE -> ridge(a, b, alpha);
            case LASSO -> lasso(a, b, alpha);
        };
    }

    private static double[] ridge(double[][] a, double[] b, double alpha) {
        RealMatrix am = new Array2DRowRealMatrix(a, false);
        RealMatrix normal = am.transpose().multiply(am);
        for (int j = 0; j < normal.getRowDimension(); j++) {
            normal.addToEntry(j, j, alpha);
        }
        if (alpha == 0) {
            return new SingularValueDecomposition(am).getSolver().solve(new ArrayRealVector(b, false)).toArray();
        }
        return new CholeskyDecomposition(normal).getSolver().solve(am.transpose().operate(new ArrayRealVector(b, false))).toArray();
    }

    private static double[] lasso(double[][] a, double[] b, double alpha) {
        int m = a.length;
        int p = m == 0 ? 0 : a[0].length;
        double[] coef = new double[p];
        double[] r = b.clone();
        double[] norm = new double[p];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < m; i++) {
                norm[j] += a[i][j] * a[i][j];
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double moved = 0;
            double largest = 0;
            for (int j = 0; j < p; j++) {
                if (norm[j] == 0) {
                    continue;
                }
                double rho = 0;
                for (int i = 0; i < m; i++) {
                    rho += a[i][j] * r[i];
                }
                rho += norm[j] * coef[j];
                double next = Math.signum(rho) * Math.max(Math.abs(rho) - alpha, 0) / norm[j];
                double d = next - coef[j];
                if (d != 0) {
                    for (int i = 0; i < m; i++) {
                        r[i] -= a[i][j] * d;
                    }
                    coef[j] = next;
                }
                moved = Math.max(moved, Math.abs(d));
                largest = Math.max(largest, Math.abs(next));
            }
            if (moved <= 1e-10 * (1 + largest)) {
                break;
            }
        }
        return coef;
    }
}
