package dev.fovea.audit.report;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Locale;

/** How reports write numbers in file names, captions and tables. */
public final class Format {
    private static final java.util.regex.Pattern TRAILING_ZEROS = java.util.regex.Pattern.compile("0+$");

    private Format() {
    }

    /**
     * A CSV field (RFC 4180): as it is, or in double quotes, its quotes doubled, when it holds a comma, a quote or a
     * line break (a class named {@code "shirt, long"}).
     */
    public static String csv(String field) {
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0;
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    /** A norm as charts and captions name it: {@code L-inf}, {@code L2}, {@code L0} (from {@code linf}, {@code l2}, {@code l0}). */
    public static String norm(String norm) {
        return switch (norm) {
            case "linf" -> "L-inf";
            case "l2" -> "L2";
            case "l0" -> "L0";
            default -> throw new IllegalArgumentException("norm: expected linf, l2 or l0, got " + norm);
        };
    }

    /** A budget with at most four decimals and at least one: {@code 0.0}, {@code 0.05}, {@code 1.0}. */
    public static String eps(double e) {
        return decimals(e, 4);
    }

    /**
     * The name of budget {@code e} among the budgets {@code all} of one run, in file names, tables and captions:
     * {@link #eps(double)} when no other budget of {@code all} has the same four-decimal form, else the fewest more
     * decimals that tell {@code e} apart from every other budget ({@code 0.00196} beside {@code 0.002}), so that no
     * two budgets share a name. Budgets equal to {@code e} are {@code e} itself.
     */
    public static String eps(double e, Collection<Double> all) {
        for (int d = 4; d <= 17; d++) {
            String s = decimals(e, d);
            boolean clash = false;
            for (double o : all) {
                if (o != e && decimals(o, d).equals(s)) {
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                return s;
            }
        }
        // below 1e-17 apart: the exact decimal of the double, which no other double has
        return new BigDecimal(e).toPlainString();
    }

    /** {@code e} with at most {@code d} decimals and at least one. */
    private static String decimals(double e, int d) {
        String s = TRAILING_ZEROS.matcher(String.format(Locale.ROOT, "%." + d + "f", e)).replaceAll("");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** A duration for people: {@code 45 s}, {@code 3 min}, {@code 1 h 20 min}; seconds below a minute, minutes rounded below an hour. */
    public static String duration(double seconds) {
        if (!(seconds >= 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException("duration: expected a finite number of seconds >= 0, got " + seconds);
        }
        if (seconds < 59.5) {
            return Math.round(seconds) + " s";
        }
        long min = Math.round(seconds / 60);
        return min < 60 ? min + " min" : (min / 60) + " h " + (min % 60) + " min";
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
