package dev.fovea.audit;

import java.util.Arrays;

/**
 * The statistics the runs and reports share: accuracy, percentiles (linear interpolation between order statistics,
 * and nearest rank), the median and a five-number summary. Empty input gives 0 (nearest rank: {@code NaN}).
 */
public final class Stats {
    private Stats() {
    }

    /** Fraction of {@code i} with {@code predicted[i] == labels[i]}. */
    public static double accuracy(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("accuracy: expected as many predictions as labels, got " + predicted.length + " and " + labels.length);
        }
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                c++;
            }
        }
        return labels.length == 0 ? 0 : (double) c / labels.length;
    }

    /** Percentile {@code p} in [0,100] of ascending {@code sorted}, interpolated linearly between order statistics (NumPy's default). */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Percentile {@code p} of ascending {@code sorted} by nearest rank: the smallest value with at least {@code p}% at or below it. */
    public static double nearestRank(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The interpolated median of {@code values} (not changed). */
    public static double median(double[] values) {
        return percentile(sorted(values), 50);
    }

    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    /** A sorted copy. */
    public static double[] sorted(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    /** Mean, median, 10th and 90th percentiles and maximum of a sample. */
    public record Summary(double mean, double median, double p10, double p90, double max) {
        public static Summary of(double[] values) {
            double[] s = sorted(values);
            return new Summary(Stats.mean(s), percentile(s, 50), percentile(s, 10), percentile(s, 90), s.length == 0 ? 0 : s[s.length - 1]);
        }
    }
}
