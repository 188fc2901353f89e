package dev.fovea.attacks;

/**
 * The norms of perturbation budgets. Each knows how to measure a perturbation, project it back onto the ball of
 * radius {@code eps}, and take the steepest ascent direction of a gradient under its own geometry
 * ({@code sign(g)} for L-inf, {@code g / ||g||_2} for L2), so FGSM is single-step PGD rather than a copy of it.
 * Arrays hold one sample's values; all operations are in place.
 */
public enum Norm {
    LINF {
        @Override
        public double measure(float[] d, int off, int len) {
            double m = 0;
            for (int i = off; i < off + len; i++) {
                m = Math.max(m, Math.abs(d[i]));
            }
            return m;
        }

        @Override
        public void project(float[] d, int off, int len, double eps) {
            float e = (float) eps;
            for (int i = off; i < off + len; i++) {
                d[i] = Math.max(-e, Math.min(e, d[i]));
            }
        }

        @Override
        public void steepest(float[] g, int off, int len) {
            for (int i = off; i < off + len; i++) {
                g[i] = Math.signum(g[i]);
            }
        }
    },
    L2 {
        @Override
        public double measure(float[] d, int off, int len) {
            double s = 0;
            for (int i = off; i < off + len; i++) {
                s += (double) d[i] * d[i];
            }
            return Math.sqrt(s);
        }

        @Override
        public void project(float[] d, int off, int len, double eps) {
            double n = measure(d, off, len);
            if (n > eps) {
                float k = (float) (eps / n);
                for (int i = off; i < off + len; i++) {
                    d[i] *= k;
                }
            }
        }

        @Override
        public void steepest(float[] g, int off, int len) {
            double n = measure(g, off, len);
            float k = n > 1e-12 ? (float) (1 / n) : 0f;
            for (int i = off; i < off + len; i++) {
                g[i] *= k;
            }
        }
    };

    /** The norm of {@code d[off, off+len)}. */
    public abstract double measure(float[] d, int off, int len);

    /** Scales or clips {@code d[off, off+len)} into the ball of radius {@code eps}. */
    public abstract void project(float[] d, int off, int len, double eps);

    /** Replaces {@code g[off, off+len)} by the unit-norm direction of steepest ascent (zero stays zero). */
    public abstract void steepest(float[] g, int off, int len);

    /** Parses {@code linf}, {@code l2}. */
    public static Norm parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "linf", "l-inf", "inf" -> LINF;
            case "l2" -> L2;
            default -> throw new IllegalArgumentException("--norm must be linf or l2, got '" + s + "'");
        };
    }
}
