package dev.fovea.audit.report;

import java.util.Locale;

/** How reports write numbers in file names, captions and tables. */
public final class Format {
    private Format() {
    }

    /** A budget with at most four decimals and at least one: {@code 0.0}, {@code 0.05}, {@code 1.0}. */
    public static String eps(double e) {
        String s = String.format(Locale.ROOT, "%.4f", e).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** Four decimals, or {@code inf} for a missing (null or infinite) value. */
    public static String fourOrInf(Double v) {
        return v == null || !Double.isFinite(v) ? "inf" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten that is at least {@code v > 0}. */
    public static double roundUp(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
