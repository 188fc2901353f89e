package dev.fovea.audit.batch;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One number of a cell, a row of the tidy results: the metric's name ({@code robust_accuracy}), what it is about
 * within the cell ({@code eps}, {@code corruption}, {@code severity}; {@code null} where it does not apply) and the
 * value. Accuracies and errors are fractions in {@code [0,1]}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metric(String metric, Double eps, String corruption, Integer severity, double value) {
    /** The columns a metric adds to a row, in order. */
    public static final java.util.List<String> KEYS = java.util.List.of("eps", "corruption", "severity");

    public static Metric of(String metric, double value) {
        return new Metric(metric, null, null, null, value);
    }

    public static Metric atEps(String metric, double eps, double value) {
        return new Metric(metric, eps, null, null, value);
    }

    public static Metric at(String metric, String corruption, Integer severity, double value) {
        return new Metric(metric, null, corruption, severity, value);
    }
}
