package dev.fovea.attacks;

/**
 * The norms of perturbation budgets. Each knows how to measure a perturbation, project it back onto the ball of
 * radius {@code eps}, and take the steepest ascent direction of a gradient under its own geometry
 * ({@code sign(g)} for L-inf, {@code g / ||g||_2} for L2, the sign of the largest coordinate for L0), so FGSM is
 * single-step PGD rather than a copy of it. Arrays hold one sample's values; all operations are in place. A NaN gradient entry gives no
 * direction (it becomes 0); under L2, infinite entries share the whole unit step.
 *
 * <p>L0 measures sparsity as the <em>fraction</em> of input values (pixels times channels) that differ from the
 * clean image, so its budgets lie in {@code [0,1]} like L-inf's: {@code eps = 0.05} lets 39 of a 28x28 grey image's
 * 784 pixels change, by any amount within the pixel box.
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
                g[i] = Float.isNaN(g[i]) ? 0f : Math.signum(g[i]);
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
            if (!Double.isFinite(n)) {
                // Infinite entries outweigh every finite one: the direction is theirs; NaN entries give no direction.
                for (int i = off; i < off + len; i++) {
                    g[i] = Float.isInfinite(g[i]) ? Math.signum(g[i]) : 0f;
                }
                n = measure(g, off, len);
            }
            float k = n > 1e-12 ? (float) (1 / n) : 0f;
            for (int i = off; i < off + len; i++) {
                g[i] *= k;
            }
        }
    },
    L0 {
        @Override
        public double measure(float[] d, int off, int len) {
            int nz = 0;
            for (int i = off; i < off + len; i++) {
                nz += d[i] != 0f ? 1 : 0;
            }
            return len == 0 ? 0 : (double) nz / len;
        }

        /** Keeps the {@code floor(eps * len)} entries of largest magnitude (the first on ties) and zeroes the rest. */
        @Override
        public void project(float[] d, int off, int len, double eps) {
            int keep = (int) Math.floor(eps * len + 1e-9);
            int nz = 0;
            for (int i = off; i < off + len; i++) {
                nz += d[i] != 0f ? 1 : 0;
            }
            if (nz <= keep) {
                return;
            }
            Integer[] idx = new Integer[len];
            for (int i = 0; i < len; i++) {
                idx[i] = off + i;
            }
            java.util.Arrays.sort(idx, (a, b) -> Float.compare(Math.abs(d[b]), Math.abs(d[a])));
            for (int i = keep; i < len; i++) {
                d[idx[i]] = 0f;
            }
        }

        @Override
        public void steepest(float[] g, int off, int len) {
            int best = -1;
            for (int i = off; i < off + len; i++) {
                if (g[i] != 0f && (best < 0 || Math.abs(g[i]) > Math.abs(g[best]))) {
                    best = i;
                }
            }
            for (int i = off; i < off + len; i++) {
                g[i] = i == best ? Math.signum(g[i]) : 0f;
            }
        }
    };

    /** The norm of {@code d[off, off+len)}. */
    public abstract double measure(float[] d, int off, int len);

    /** Scales or clips {@code d[off, off+len)} into the ball of radius {@code eps}. */
    public abstract void project(float[] d, int off, int len, double eps);

    /** Replaces {@code g[off, off+len)} by the unit-norm direction of steepest ascent (zero stays zero). */
    public abstract void steepest(float[] g, int off, int len);

    /** Parses {@code linf}, {@code l2}, {@code l0}; anything else is an {@link dev.fovea.method.InvalidOptionException} on option {@code norm}. */
    public static Norm parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "linf", "l-inf", "inf" -> LINF;
            case "l2" -> L2;
            case "l0" -> L0;
            default -> throw new dev.fovea.method.InvalidOptionException("norm", "norm must be linf, l2 or l0, got '" + s + "'");
        };
    }
}
